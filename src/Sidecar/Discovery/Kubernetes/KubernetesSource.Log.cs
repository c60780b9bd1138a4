using Microsoft.Extensions.Logging;

namespace Sidecar.Discovery.Kubernetes;

internal sealed partial class KubernetesSource
{
    [LoggerMessage(4101, LogLevel.Debug, "Listed {Count} FRPServers at resourceVersion {ResourceVersion}")]
    private partial void LogListed(int count, string resourceVersion);

    [LoggerMessage(4102, LogLevel.Warning, "Listing FRPServers failed ({Reason}); attempt {Attempt}; keeping the last known state")]
    private partial void LogListFailed(string reason, int attempt);

    [LoggerMessage(4103, LogLevel.Information, "Listing FRPServers works again after {Failures} failures")]
    private partial void LogListRecovered(int failures);

    [LoggerMessage(4104, LogLevel.Information, "Watch of FRPServers ({Scope}) cannot resume from resourceVersion {ResourceVersion} (410 Expired); listing again in {DelayMs:0} ms")]
    private partial void LogWatchExpired(string scope, string resourceVersion, double delayMs);

    [LoggerMessage(4105, LogLevel.Warning, "Watching FRPServers failed ({Reason}); resuming in {DelayMs:0} ms; keeping the last known state")]
    private partial void LogWatchFailed(string reason, double delayMs);

    [LoggerMessage(4106, LogLevel.Debug, "Ignoring a watch event of type {Type}")]
    private partial void LogUnknownEvent(string type);

    [LoggerMessage(4107, LogLevel.Debug, "Safety-net relist of FRPServers ({Scope})")]
    private partial void LogSafetyRelist(string scope);
}
