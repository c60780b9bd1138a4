using Microsoft.Extensions.Logging;

namespace Sidecar.Discovery;

internal sealed partial class DiscoveryComponent
{
    [LoggerMessage(DiscoveryEventIds.SourceStarting, LogLevel.Information, "Discovering FRPServers from {Source}")]
    private partial void LogStarting(string source);

    [LoggerMessage(DiscoveryEventIds.SourceCrashed, LogLevel.Critical, "The resource source stopped unexpectedly; keeping the last known state")]
    private partial void LogSourceCrashed(Exception exception);
}
