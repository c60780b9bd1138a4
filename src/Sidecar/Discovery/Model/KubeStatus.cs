namespace Sidecar.Discovery.Model;

/// <summary>A Kubernetes <c>Status</c> (errors): <c>code</c> 410 with reason <c>Expired</c>/<c>Gone</c> means list again.</summary>
internal sealed class KubeStatus
{
    public string? Kind { get; init; }
    public string? Status { get; init; }
    public string? Message { get; init; }
    public string? Reason { get; init; }
    public int? Code { get; init; }
}
