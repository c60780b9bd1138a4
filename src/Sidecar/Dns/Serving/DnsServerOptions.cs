using System.Net;

namespace Sidecar.Dns.Serving;

/// <summary>What the DNS server needs from the settings (the composition root fills it in).</summary>
internal sealed record DnsServerOptions(
    IPEndPoint Address,
    TimeSpan Ttl,
    DnsMissPolicy MissPolicy,
    IReadOnlyList<IPEndPoint> Upstreams,
    IReadOnlyList<string> SearchDomains)
{
    /// <summary>
    /// Receive loops: one per core the process may run on (ProcessorCount honours CPU affinity and cgroup
    /// limits), so both cores of a 2-core node answer; more threads than cores only add context switches.
    /// </summary>
    public int UdpLoops { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>Use recvmmsg/sendmmsg where available (Linux); false forces one recvfrom/sendto per query.</summary>
    public bool BatchedReceive { get; init; } = true;

    public TimeSpan UpstreamTimeout { get; init; } = UpstreamForwarder.DefaultTimeout;

    /// <summary>TCP connections held at once before the idlest is evicted (tests use a few).</summary>
    public int TcpMaxConnections { get; init; } = TcpDnsServer.MaxConnections;
}
