using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Sidecar.Dns.Serving;

internal sealed partial class UdpDnsServer
{
    [LoggerMessage(3010, LogLevel.Debug, "DNS UDP receive failed: {Error}")]
    private partial void LogReceiveFailed(SocketError error);

    [LoggerMessage(3011, LogLevel.Debug, "DNS UDP reply not sent: {Reason}")]
    private partial void LogSendFailed(string reason);

    [LoggerMessage(3013, LogLevel.Warning, "recvmmsg/sendmmsg unavailable ({Reason}); this UDP loop serves one datagram per system call, at a higher CPU cost per query")]
    private partial void LogBatchingUnavailable(string reason);

    [LoggerMessage(3012, LogLevel.Warning, "More than {Limit} forwarded DNS queries in flight; dropping a miss (the client retries)")]
    private partial void LogForwardQueueFull(int limit);
}
