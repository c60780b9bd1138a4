using System.Net;
using Sidecar.Configuration;

namespace Sidecar.Dns.Serving;

/// <summary>What the DNS server needs from the settings.</summary>
internal sealed record DnsServerOptions(
    IPEndPoint Address,
    TimeSpan Ttl,
    DnsMissPolicy MissPolicy,
    IReadOnlyList<IPEndPoint> Upstreams,
    IReadOnlyList<string> SearchDomains)
{
    /// <summary>Receive loops: one per core, at least two so one slow reply never idles the socket.</summary>
    public int UdpLoops { get; init; } = Math.Clamp(Environment.ProcessorCount, 2, 4);

    public TimeSpan UpstreamTimeout { get; init; } = UpstreamForwarder.DefaultTimeout;

    public static DnsServerOptions From(Settings settings) =>
        new(settings.DnsAddr, settings.DnsTtl, settings.DnsMiss, settings.DnsUpstream, settings.DnsSearch);
}
