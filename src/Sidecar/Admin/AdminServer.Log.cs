using Microsoft.Extensions.Logging;

namespace Sidecar.Admin;

internal sealed partial class AdminServer
{
    [LoggerMessage(6001, LogLevel.Information, "Admin endpoint listening on http://{Address} (/healthz /readyz /metrics /debug/mappings)")]
    private partial void LogListening(string address);

    [LoggerMessage(6002, LogLevel.Debug, "Admin client error: {Reason}")]
    private partial void LogClientError(string reason);
}
