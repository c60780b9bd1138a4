using Microsoft.Extensions.Logging;

namespace Sidecar.Tunnels.Forwarding;

internal abstract partial class Forwarder
{
    [LoggerMessage(TunnelEventIds.ForwarderListening, LogLevel.Information, "Tunnel {Tunnel} is listening, forwarding to {Upstream}")]
    private partial void LogListening(string tunnel, string upstream);

    [LoggerMessage(TunnelEventIds.ForwarderBindFailed, LogLevel.Warning, "Tunnel {Tunnel} cannot listen ({Error}); retrying in {DelaySeconds:0.0} s")]
    private partial void LogBindFailed(string tunnel, string error, double delaySeconds);

    [LoggerMessage(TunnelEventIds.ForwarderServeFailed, LogLevel.Warning, "Tunnel {Tunnel} listener failed ({Reason}); binding again in {DelaySeconds:0.0} s")]
    private partial void LogServeFailed(string tunnel, string reason, double delaySeconds);

    [LoggerMessage(TunnelEventIds.ForwarderAcceptPaused, LogLevel.Warning, "Tunnel {Tunnel} cannot accept connections now ({Error}); pausing accepts briefly")]
    protected partial void LogAcceptPaused(string tunnel, string error);

    [LoggerMessage(TunnelEventIds.ForwarderClosed, LogLevel.Information, "Tunnel {Tunnel} closed")]
    private partial void LogClosed(string tunnel);

    [LoggerMessage(TunnelEventIds.ForwarderUpstreamFailed, LogLevel.Warning, "Tunnel {Tunnel}: cannot reach {Upstream} ({Reason})")]
    protected partial void LogUpstreamFailed(string tunnel, string upstream, string reason);

    [LoggerMessage(TunnelEventIds.ForwarderAtCap, LogLevel.Warning, "Tunnel {Tunnel} is at its cap of {Cap} connections or flows: refusing a new one")]
    protected partial void LogAtCap(string tunnel, int cap);
}
