using System.Net;
using Microsoft.Extensions.Logging;

namespace Sidecar.Dns.Serving;

internal sealed partial class UpstreamForwarder
{
    [LoggerMessage(DnsEventIds.UpstreamTimeout, LogLevel.Debug, "Upstream DNS {Server} did not answer within {TimeoutMs} ms; trying the next")]
    private partial void LogUpstreamTimeout(IPEndPoint server, double timeoutMs);

    [LoggerMessage(DnsEventIds.UpstreamFailed, LogLevel.Debug, "Upstream DNS {Server} failed: {Reason}; trying the next")]
    private partial void LogUpstreamFailed(IPEndPoint server, string reason);

    [LoggerMessage(DnsEventIds.UpstreamBadReply, LogLevel.Debug, "Upstream DNS {Server} sent a reply that does not match the query")]
    private partial void LogUpstreamBadReply(IPEndPoint server);

    [LoggerMessage(DnsEventIds.AllUpstreamsFailed, LogLevel.Warning, "All {Count} upstream DNS servers failed; answering SERVFAIL")]
    private partial void LogAllUpstreamsFailed(int count);
}
