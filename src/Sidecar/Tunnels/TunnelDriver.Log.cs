using Microsoft.Extensions.Logging;

namespace Sidecar.Tunnels;

internal sealed partial class TunnelDriver
{
    [LoggerMessage(TunnelEventIds.NotTunnelled, LogLevel.Warning, "Tunnel {Tunnel} is not opened: {Reason}")]
    private partial void LogNotTunnelled(string tunnel, string reason);

    [LoggerMessage(TunnelEventIds.TunnelsStopped, LogLevel.Information, "Tunnels stopped: {Forwarders} forwarders, {Frpc} frpc processes")]
    private partial void LogStopped(int forwarders, int frpc);

    [LoggerMessage(TunnelEventIds.NoSecretKey, LogLevel.Warning, "{ProxyType} proxy '{ProxyName}' (service {Service}) at {Server} publishes no secretKey: its visitor starts with an empty key, which frps accepts only if the proxy has none, and then anyone who reaches frps can use it; set a secretKey on the proxy")]
    private partial void LogNoSecretKey(string proxyType, string proxyName, string service, string server);

    [LoggerMessage(TunnelEventIds.XtcpViaStcpTwin, LogLevel.Information, "Tunnel {Tunnel}: frpc is not found at '{FrpcPath}', so this xtcp proxy is reached through its stcp twin '{TwinProxy}' by the native visitor (relayed by frps, no hole punching)")]
    private partial void LogXtcpViaStcpTwin(string tunnel, string frpcPath, string twinProxy);

    [LoggerMessage(TunnelEventIds.StateDirUnavailable, LogLevel.Warning, "{Reason}. Until it can, stcp/sudp/xtcp tunnels fail; tcp/udp tunnels are not affected")]
    private partial void LogStateDirUnavailable(string reason);
}
