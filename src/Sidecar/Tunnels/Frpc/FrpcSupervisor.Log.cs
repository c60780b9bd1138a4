using Microsoft.Extensions.Logging;

namespace Sidecar.Tunnels.Frpc;

internal sealed partial class FrpcSupervisor
{
    [LoggerMessage(TunnelEventIds.FrpcStarted, LogLevel.Information, "frpc for {Server} started (pid {Pid}, {Visitors} visitors, config {ConfigPath})")]
    private partial void LogStarted(string server, int pid, int visitors, string configPath);

    [LoggerMessage(TunnelEventIds.FrpcExited, LogLevel.Warning, "frpc for {Server} exited with code {ExitCode}; restarting in {DelaySeconds:0.0} s")]
    private partial void LogExited(string server, int exitCode, double delaySeconds);

    [LoggerMessage(TunnelEventIds.FrpcCrashLoop, LogLevel.Error, "frpc for {Server} is crash-looping: exited with code {ExitCode}, {Attempts} quick exits in a row; restarting in {DelaySeconds:0.0} s")]
    private partial void LogCrashLoop(string server, int exitCode, int attempts, double delaySeconds);

    [LoggerMessage(TunnelEventIds.FrpcMissing, LogLevel.Error, "frpc not found at '{FrpcPath}' (a bare name is searched on PATH): tunnel {Tunnel} cannot open, it needs an frpc visitor; use the image with frpc (build argument WITH_FRPC=true), set --frpc-path, or, for xtcp, publish an stcp twin of the proxy. Other tunnels are not affected; checking again with backoff")]
    private partial void LogFrpcMissing(string frpcPath, string tunnel);

    [LoggerMessage(TunnelEventIds.FrpcStartFailed, LogLevel.Error, "frpc '{FrpcPath}' for {Server} could not be started: {Reason}")]
    private partial void LogStartFailed(string frpcPath, string server, string reason);

    /// <summary>One line of frpc's output, at the level frpc gave it.</summary>
    [LoggerMessage(EventId = TunnelEventIds.FrpcOutput, Message = "frpc[{Server}] {Line}")]
    private partial void LogFrpcOutput(LogLevel level, string server, string line);

    /// <summary>frp's console lines carry "[T]", "[D]", "[I]", "[W]" or "[E]" after the timestamp.</summary>
    private static LogLevel FrpcLineLevel(string line) =>
        line.Contains(" [E] ", StringComparison.Ordinal) ? LogLevel.Error
        : line.Contains(" [W] ", StringComparison.Ordinal) ? LogLevel.Warning
        : line.Contains(" [D] ", StringComparison.Ordinal) || line.Contains(" [T] ", StringComparison.Ordinal) ? LogLevel.Debug
        : LogLevel.Information;

    [LoggerMessage(TunnelEventIds.FrpcReloaded, LogLevel.Debug, "frpc for {Server} reloaded ({Visitors} visitors)")]
    private partial void LogReloaded(string server, int visitors);

    [LoggerMessage(TunnelEventIds.FrpcReloadUnreachable, LogLevel.Warning, "frpc for {Server} did not answer the reload; it is restarted if it exited")]
    private partial void LogReloadUnreachable(string server);

    [LoggerMessage(TunnelEventIds.FrpcReloadRejected, LogLevel.Error, "frpc for {Server} rejected the reload with HTTP {Status}: the written config is invalid")]
    private partial void LogReloadRejected(string server, int status);

    [LoggerMessage(TunnelEventIds.VisitorListening, LogLevel.Information, "Tunnel {Tunnel} is listening (frpc visitor)")]
    private partial void LogVisitorListening(string tunnel);

    [LoggerMessage(TunnelEventIds.FrpcKilled, LogLevel.Warning, "frpc for {Server} (pid {Pid}) ignored SIGTERM within the grace period: killed")]
    private partial void LogKilled(string server, int pid);

    [LoggerMessage(TunnelEventIds.FrpcConfigWriteFailed, LogLevel.Error, "Cannot write {File} for frpc of {Server}: {Reason}")]
    private partial void LogConfigWriteFailed(string file, string server, string reason);

    [LoggerMessage(TunnelEventIds.FrpcStateDirUnusable, LogLevel.Error, "frpc for {Server} cannot start: {Reason}. Checking again with backoff")]
    private partial void LogStateDirUnusable(string server, string reason);
}
