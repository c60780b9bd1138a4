using Microsoft.Extensions.Logging;

namespace Sidecar.Discovery;

internal sealed partial class DiscoveryComponent
{
    [LoggerMessage(4501, LogLevel.Information, "Discovering FRPServers from {Source}")]
    private partial void LogStarting(string source);

    [LoggerMessage(4503, LogLevel.Critical, "The resource source stopped unexpectedly; keeping the last known state")]
    private partial void LogSourceCrashed(Exception exception);
}
