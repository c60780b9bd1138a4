using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Sidecar.Dns.Serving;

internal sealed partial class TcpDnsServer
{
    [LoggerMessage(3030, LogLevel.Debug, "DNS TCP accept failed: {Error}")]
    private partial void LogAcceptFailed(SocketError error);

    [LoggerMessage(3031, LogLevel.Warning, "DNS TCP connection limit {Limit} reached; closing a new connection")]
    private partial void LogConnectionLimit(int limit);

    [LoggerMessage(3032, LogLevel.Debug, "DNS TCP connection ended: {Reason}")]
    private partial void LogConnectionFailed(string reason);
}
