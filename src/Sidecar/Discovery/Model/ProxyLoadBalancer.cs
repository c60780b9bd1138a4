namespace Sidecar.Discovery.Model;

internal sealed class ProxyLoadBalancer
{
    public string? Group { get; init; }
}
