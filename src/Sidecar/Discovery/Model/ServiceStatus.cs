namespace Sidecar.Discovery.Model;

/// <summary><c>status.serviceStatus</c>: frps totals. <c>uptime</c> is a Go duration string ("0s").</summary>
internal sealed class ServiceStatus
{
    public long? TotalBytesIn { get; init; }
    public long? TotalBytesOut { get; init; }
    public long? TotalClients { get; init; }
    public long? TotalConnections { get; init; }
    public long? TotalProxies { get; init; }
    public string? Uptime { get; init; }
    public string? LastUpdateTime { get; init; }
}
