using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Sidecar.Admin.Http;

internal sealed partial class HttpServer
{
    [LoggerMessage(AdminEventIds.AcceptFailed, LogLevel.Debug, "Admin accept failed: {Error}")]
    private partial void LogAcceptFailed(SocketError error);

    [LoggerMessage(AdminEventIds.Pressure, LogLevel.Warning,
        "Admin connections at their limit of {Limit}: {Evicted} evicted, {Refused} refused, {TimedOut} timed out before sending a request (at most one such line per {IntervalSeconds} s)")]
    private partial void LogPressure(int limit, long evicted, long refused, long timedOut, double intervalSeconds);

    [LoggerMessage(AdminEventIds.HandlerFailed, LogLevel.Error, "Admin endpoint {Path} failed")]
    private partial void LogHandlerFailed(string path, Exception exception);

    [LoggerMessage(AdminEventIds.ClientGone, LogLevel.Debug, "Admin client error: {Reason}")]
    private partial void LogClientGone(string reason);
}
