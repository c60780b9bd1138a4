using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Sidecar.Injection;

internal sealed partial class WebhookServer
{
    [LoggerMessage(InjectionEventIds.AcceptFailed, LogLevel.Debug, "Webhook accept failed: {Error}")]
    private partial void LogAcceptFailed(SocketError error);

    [LoggerMessage(InjectionEventIds.ClientGone, LogLevel.Debug, "Webhook client error: {Reason}")]
    private partial void LogClientGone(string reason);

    [LoggerMessage(InjectionEventIds.HandshakeFailed, LogLevel.Debug, "Webhook TLS handshake failed: {Reason}")]
    private partial void LogHandshakeFailed(string reason);

    [LoggerMessage(InjectionEventIds.Pressure, LogLevel.Warning,
        "Webhook connections at their limit of {Limit}: {Evicted} evicted, {Refused} refused, {TimedOut} timed out (at most one such line per {IntervalSeconds} s)")]
    private partial void LogPressure(int limit, long evicted, long refused, long timedOut, double intervalSeconds);
}
