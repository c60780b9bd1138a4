namespace Sidecar.Injection;

/// <summary>What the HTTP layer sends back: 200 with an AdmissionReview, or 400 with a plain-text reason.</summary>
internal sealed record AdmissionResult(int StatusCode, byte[] Body, AdmissionVerdict Verdict)
{
    public string ContentType => StatusCode == 200 ? "application/json" : "text/plain; charset=utf-8";
}

/// <summary>For metrics and logs: what happened to the Pod.</summary>
internal enum AdmissionVerdict
{
    Malformed,
    Skipped,
    Injected,
    Denied,
    AllowedOnError,
}
