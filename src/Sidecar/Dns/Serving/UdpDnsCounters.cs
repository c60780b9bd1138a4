using Sidecar.Observability;

namespace Sidecar.Dns.Serving;

/// <summary>How the UDP server is serving; owned here, rendered by /metrics.</summary>
internal sealed class UdpDnsCounters
{
    /// <summary>Receive loops running with recvmmsg/sendmmsg; 0 means one system call per datagram.</summary>
    public Gauge BatchedLoops { get; } = new();
}
