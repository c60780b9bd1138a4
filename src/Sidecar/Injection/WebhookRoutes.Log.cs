using Microsoft.Extensions.Logging;

namespace Sidecar.Injection;

internal sealed partial class WebhookRoutes
{
    [LoggerMessage(InjectionEventIds.Admitted, LogLevel.Debug, "Admission {Verdict}")]
    private partial void LogAdmitted(AdmissionVerdict verdict);

    [LoggerMessage(InjectionEventIds.Denied, LogLevel.Information, "Pod denied: {Reason}")]
    private partial void LogDenied(string reason);

    [LoggerMessage(InjectionEventIds.Malformed, LogLevel.Warning, "Malformed admission request: {Reason}")]
    private partial void LogMalformed(string reason);
}
