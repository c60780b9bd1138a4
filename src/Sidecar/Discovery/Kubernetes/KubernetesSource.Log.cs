using Microsoft.Extensions.Logging;

namespace Sidecar.Discovery.Kubernetes;

internal sealed partial class KubernetesSource
{
    [LoggerMessage(DiscoveryEventIds.Listed, LogLevel.Debug, "Listed {Count} FRPServers at resourceVersion {ResourceVersion}")]
    private partial void LogListed(int count, string resourceVersion);

    [LoggerMessage(DiscoveryEventIds.ListFailed, LogLevel.Warning, "Listing FRPServers failed ({Reason}); attempt {Attempt}; keeping the last known state")]
    private partial void LogListFailed(string reason, int attempt);

    [LoggerMessage(DiscoveryEventIds.ListRecovered, LogLevel.Information, "Listing FRPServers works again after {Failures} failures")]
    private partial void LogListRecovered(int failures);

    [LoggerMessage(DiscoveryEventIds.WatchExpired, LogLevel.Information, "Watch of FRPServers ({Scope}) cannot resume from resourceVersion {ResourceVersion} (410 Expired); listing again in {DelayMs:0} ms")]
    private partial void LogWatchExpired(string scope, string resourceVersion, double delayMs);

    [LoggerMessage(DiscoveryEventIds.WatchFailed, LogLevel.Warning, "Watching FRPServers failed ({Reason}); resuming in {DelayMs:0} ms; keeping the last known state")]
    private partial void LogWatchFailed(string reason, double delayMs);

    [LoggerMessage(DiscoveryEventIds.UnknownEvent, LogLevel.Debug, "Ignoring a watch event of type {Type}")]
    private partial void LogUnknownEvent(string type);

    [LoggerMessage(DiscoveryEventIds.SafetyRelist, LogLevel.Debug, "Safety-net relist of FRPServers ({Scope})")]
    private partial void LogSafetyRelist(string scope);
}
