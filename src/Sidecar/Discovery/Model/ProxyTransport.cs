namespace Sidecar.Discovery.Model;

internal sealed class ProxyTransport
{
    public string? BandwidthLimit { get; init; }
    public string? BandwidthLimitMode { get; init; }
}
