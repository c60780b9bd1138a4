namespace Sidecar.Discovery.Model;

internal sealed class ProxyHealthCheck
{
    public string? Type { get; init; }
    public int? IntervalSeconds { get; init; }
}
