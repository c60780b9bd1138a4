using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Sidecar.Dns.Serving;

internal sealed partial class TcpDnsServer
{
    [LoggerMessage(DnsEventIds.TcpAcceptFailed, LogLevel.Debug, "DNS TCP accept failed: {Error}")]
    private partial void LogAcceptFailed(SocketError error);

    [LoggerMessage(DnsEventIds.TcpPressure, LogLevel.Warning,
        "DNS TCP connections at their limit of {Limit}: {Evicted} idle connections evicted, {Refused} refused, {TimedOut} timed out (at most one such line per {IntervalSeconds} s)")]
    private partial void LogPressure(int limit, long evicted, long refused, long timedOut, double intervalSeconds);

    [LoggerMessage(DnsEventIds.TcpConnectionFailed, LogLevel.Debug, "DNS TCP connection ended: {Reason}")]
    private partial void LogConnectionFailed(string reason);
}
