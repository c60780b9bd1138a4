using Microsoft.Extensions.Logging;

namespace Sidecar.Admin;

internal sealed partial class AdminServer
{
    [LoggerMessage(AdminEventIds.Listening, LogLevel.Information, "Admin endpoint listening on http://{Address} (/healthz /readyz /metrics; /debug/mappings to loopback clients)")]
    private partial void LogListening(string address);
}
