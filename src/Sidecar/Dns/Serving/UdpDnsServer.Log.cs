using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Sidecar.Dns.Serving;

internal sealed partial class UdpDnsServer
{
    [LoggerMessage(DnsEventIds.UdpReceiveFailed, LogLevel.Debug, "DNS UDP receive failed: {Error}")]
    private partial void LogReceiveFailed(SocketError error);

    [LoggerMessage(DnsEventIds.UdpSendFailed, LogLevel.Debug, "DNS UDP reply not sent: {Reason}")]
    private partial void LogSendFailed(string reason);

    [LoggerMessage(DnsEventIds.UdpBatchingUnavailable, LogLevel.Warning, "recvmmsg/sendmmsg unavailable ({Reason}); this UDP loop serves one datagram per system call, at a higher CPU cost per query")]
    private partial void LogBatchingUnavailable(string reason);

    [LoggerMessage(DnsEventIds.UdpForwardQueueFull, LogLevel.Warning, "More than {Limit} forwarded DNS queries in flight; dropping a miss (the client retries)")]
    private partial void LogForwardQueueFull(int limit);
}
