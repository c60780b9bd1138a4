using Microsoft.Extensions.Logging;

namespace Sidecar.Hosting;

internal sealed partial class SidecarHost
{
    [LoggerMessage(1001, LogLevel.Debug, "Started {Component}")]
    private partial void LogComponentStarted(string component);

    [LoggerMessage(1002, LogLevel.Information, "Ready in {ElapsedMs:0.0} ms")]
    private partial void LogReady(double elapsedMs);

    [LoggerMessage(1003, LogLevel.Critical, "Start-up failed: {Reason}")]
    private partial void LogStartupFailed(string reason);

    [LoggerMessage(1004, LogLevel.Information, "Shutting down (grace period {GraceSeconds} s)")]
    private partial void LogStopping(double graceSeconds);

    [LoggerMessage(1005, LogLevel.Warning, "{Component} did not stop within the grace period")]
    private partial void LogStopTimedOut(string component);

    [LoggerMessage(1006, LogLevel.Error, "{Component} failed while stopping")]
    private partial void LogStopFailed(string component, Exception exception);

    [LoggerMessage(1007, LogLevel.Information, "Stopped in {ElapsedMs:0.0} ms (clean: {Clean})")]
    private partial void LogStopped(double elapsedMs, bool clean);
}
