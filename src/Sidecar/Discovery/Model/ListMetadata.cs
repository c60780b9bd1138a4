namespace Sidecar.Discovery.Model;

/// <summary>Kubernetes <c>ListMeta</c>: the resourceVersion a watch continues from.</summary>
internal sealed class ListMetadata
{
    public string? ResourceVersion { get; init; }
    public string? Continue { get; init; }
}
