namespace Sidecar.Discovery.Model;

/// <summary>A <c>metav1.Condition</c>.</summary>
internal sealed class StatusCondition
{
    public string? Type { get; init; }
    public string? Status { get; init; }
    public string? Reason { get; init; }
    public string? Message { get; init; }
    public string? LastTransitionTime { get; init; }
    public long? ObservedGeneration { get; init; }
}
