using Microsoft.Extensions.Logging;

namespace Sidecar.ControlLoop.Extraction;

internal sealed partial class EndpointExtractor
{
    [LoggerMessage(ControlLoopEventIds.ItemSkipped, LogLevel.Warning, "Skipping {Item} of FRPServer {Resource}: {Reason}")]
    private partial void LogItemSkipped(string resource, string item, string reason);

    [LoggerMessage(ControlLoopEventIds.ItemSkippedDetail, LogLevel.Debug, "Skipping {Item} of FRPServer {Resource}: {Reason}")]
    private partial void LogItemSkippedDetail(string resource, string item, string reason);

    [LoggerMessage(ControlLoopEventIds.ItemsSkippedSummary, LogLevel.Warning, "{Count} newly skipped items in {Resources} FRPServers ({Total} skipped in all); the first {Shown} are logged above, every one at debug level")]
    private partial void LogItemsSkippedSummary(int count, int resources, int total, int shown);

    [LoggerMessage(ControlLoopEventIds.PortsCapped, LogLevel.Warning, "Service {Service} is offered on {Offered} ports; keeping the lowest {Limit} (the limit per service)")]
    private partial void LogPortsCapped(string service, int offered, int limit);

    [LoggerMessage(ControlLoopEventIds.EndpointContested, LogLevel.Information, "{Endpoint} is offered by several FRPServers; using {Chosen} (oldest, then name) over {Others}")]
    private partial void LogContested(string endpoint, string chosen, string others);

    [LoggerMessage(ControlLoopEventIds.EndpointFailover, LogLevel.Information, "{Endpoint} failed over from FRPServer {Previous} to {Current}")]
    private partial void LogFailover(string endpoint, string previous, string current);
}
