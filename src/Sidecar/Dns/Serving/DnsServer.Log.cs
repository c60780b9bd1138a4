using System.Net;
using Microsoft.Extensions.Logging;

namespace Sidecar.Dns.Serving;

internal sealed partial class DnsServer
{
    [LoggerMessage(3001, LogLevel.Information, "Serving DNS on {Address} (UDP and TCP), misses: {MissPolicy}, {Loops} UDP loops")]
    private partial void LogServing(IPEndPoint address, DnsMissPolicy missPolicy, int loops);

    [LoggerMessage(3002, LogLevel.Information, "Published {Mappings} DNS names ({Variants} with search-domain variants)")]
    private partial void LogPublished(int mappings, int variants);

    [LoggerMessage(3003, LogLevel.Warning, "--dns-miss=forward without upstream servers (none given, none in /etc/resolv.conf): misses get SERVFAIL")]
    private partial void LogNoUpstreams();
}
