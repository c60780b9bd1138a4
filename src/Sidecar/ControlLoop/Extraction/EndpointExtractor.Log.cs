using Microsoft.Extensions.Logging;

namespace Sidecar.ControlLoop.Extraction;

internal sealed partial class EndpointExtractor
{
    [LoggerMessage(4001, LogLevel.Warning, "Skipping {Item} of FRPServer {Resource}: {Reason}")]
    private partial void LogItemSkipped(string resource, string item, string reason);

    [LoggerMessage(4002, LogLevel.Information, "{Endpoint} is offered by several FRPServers; using {Chosen} (oldest, then name) over {Others}")]
    private partial void LogContested(string endpoint, string chosen, string others);

    [LoggerMessage(4003, LogLevel.Information, "{Endpoint} failed over from FRPServer {Previous} to {Current}")]
    private partial void LogFailover(string endpoint, string previous, string current);
}
