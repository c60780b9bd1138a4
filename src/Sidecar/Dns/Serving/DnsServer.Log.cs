using System.Net;
using Microsoft.Extensions.Logging;

namespace Sidecar.Dns.Serving;

internal sealed partial class DnsServer
{
    [LoggerMessage(DnsEventIds.Serving, LogLevel.Information, "Serving DNS on {Address} (UDP and TCP), misses: {MissPolicy}, {Loops} UDP loops")]
    private partial void LogServing(IPEndPoint address, DnsMissPolicy missPolicy, int loops);

    [LoggerMessage(DnsEventIds.NamesPublished, LogLevel.Information, "Published {Mappings} DNS names ({Variants} with search-domain variants)")]
    private partial void LogPublished(int mappings, int variants);

    [LoggerMessage(DnsEventIds.NoUpstreams, LogLevel.Warning, "--dns-miss=forward without upstream servers (none given, none in /etc/resolv.conf): misses get SERVFAIL")]
    private partial void LogNoUpstreams();
}
