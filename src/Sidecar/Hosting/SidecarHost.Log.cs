using Microsoft.Extensions.Logging;

namespace Sidecar.Hosting;

internal sealed partial class SidecarHost
{
    [LoggerMessage(HostingEventIds.ComponentStarted, LogLevel.Debug, "Started {Component}")]
    private partial void LogComponentStarted(string component);

    [LoggerMessage(HostingEventIds.Ready, LogLevel.Information, "Ready in {ElapsedMs:0.0} ms")]
    private partial void LogReady(double elapsedMs);

    [LoggerMessage(HostingEventIds.StartupFailed, LogLevel.Critical, "Start-up failed: {Reason}")]
    private partial void LogStartupFailed(string reason);

    [LoggerMessage(HostingEventIds.Stopping, LogLevel.Information, "Shutting down (grace period {GraceSeconds} s)")]
    private partial void LogStopping(double graceSeconds);

    [LoggerMessage(HostingEventIds.StopTimedOut, LogLevel.Warning, "{Component} did not stop within the grace period")]
    private partial void LogStopTimedOut(string component);

    [LoggerMessage(HostingEventIds.StopFailed, LogLevel.Error, "{Component} failed while stopping")]
    private partial void LogStopFailed(string component, Exception exception);

    [LoggerMessage(HostingEventIds.Stopped, LogLevel.Information, "Stopped in {ElapsedMs:0.0} ms (clean: {Clean})")]
    private partial void LogStopped(double elapsedMs, bool clean);
}
