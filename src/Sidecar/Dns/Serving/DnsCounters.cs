using Sidecar.Observability;

namespace Sidecar.Dns.Serving;

/// <summary>What the DNS server counts; owned here, rendered by /metrics. All lock-free, no allocation.</summary>
internal sealed class DnsCounters
{
    /// <summary>Queries answered or dropped, by question type and response code.</summary>
    public DnsQueryCounters Queries { get; } = new();

    /// <summary>Queries relayed to an upstream server.</summary>
    public Counter Forwarded { get; } = new();

    /// <summary>Forwarded queries no upstream answered (SERVFAIL sent).</summary>
    public Counter UpstreamFailures { get; } = new();

    public UdpDnsCounters Udp { get; } = new();

    public TcpDnsCounters Tcp { get; } = new();
}
