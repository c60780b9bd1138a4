using Microsoft.Extensions.Logging;

namespace Sidecar.Tunnels.Native.Session;

internal sealed partial class FrpSession
{
    [LoggerMessage(TunnelEventIds.SessionLoggedIn, LogLevel.Information, "Logged in to frp server {Server} (native visitor session, run id {RunId})")]
    private partial void LogLoggedIn(string server, string runId);

    [LoggerMessage(TunnelEventIds.SessionLoginFailed, LogLevel.Warning, "Cannot log in to frp server {Server}: {Reason}; retrying with backoff")]
    private partial void LogLoginFailed(string server, string reason);

    [LoggerMessage(TunnelEventIds.SessionEnded, LogLevel.Warning, "Session with frp server {Server} ended: {Reason}; reconnecting")]
    private partial void LogSessionEnded(string server, string reason);

    [LoggerMessage(TunnelEventIds.SessionControlMessage, LogLevel.Debug, "frp server {Server} sent {Message} on the control stream; a visitor ignores it")]
    private partial void LogControlMessage(string server, string message);
}
