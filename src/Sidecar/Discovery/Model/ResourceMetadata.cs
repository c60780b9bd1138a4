namespace Sidecar.Discovery.Model;

/// <summary>The parts of Kubernetes <c>ObjectMeta</c> we read. Times stay strings: we only order by them.</summary>
internal sealed class ResourceMetadata
{
    public string? Name { get; init; }
    public string? Uid { get; init; }
    public string? ResourceVersion { get; init; }
    public string? CreationTimestamp { get; init; }
    public string? DeletionTimestamp { get; init; }
    public long? Generation { get; init; }
}
