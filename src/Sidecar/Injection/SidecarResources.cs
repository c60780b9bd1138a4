namespace Sidecar.Injection;

/// <summary>
/// The injected container's requests and limits (Kubernetes quantities; null leaves one out). The defaults
/// are deploy/example-pod.yaml's, measured in docs/scale.md: a request that covers an idle sidecar and a memory
/// limit above its storm peak. No CPU limit by default: CFS throttling would stall DNS answers for the rest of
/// a 100 ms period, and a request already buys the sidecar its share under contention.
/// </summary>
internal sealed record SidecarResources(string? CpuRequest, string? MemoryRequest, string? CpuLimit, string? MemoryLimit)
{
    public static readonly SidecarResources Default = new("10m", "32Mi", null, "64Mi");

    /// <summary>The API server's own rule (a request above its limit is refused), checked when the webhook starts.</summary>
    /// <exception cref="FormatException">A request above its limit, naming both.</exception>
    public SidecarResources Validated()
    {
        Check("cpu", CpuRequest, CpuLimit);
        Check("memory", MemoryRequest, MemoryLimit);
        return this;
    }

    private static void Check(string resource, string? request, string? limit)
    {
        if (request is not null && limit is not null && ResourceQuantity.Parse(request) > ResourceQuantity.Parse(limit))
        {
            throw new FormatException($"the {resource} request {request} is above the {resource} limit {limit}");
        }
    }
}
