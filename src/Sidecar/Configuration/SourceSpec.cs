namespace Sidecar.Configuration;

/// <summary>Where FRPServer resources come from: the Kubernetes API, or a file on a bare host.</summary>
internal sealed record SourceSpec(SourceKind Kind, string? Path)
{
    public static readonly SourceSpec Kubernetes = new(SourceKind.Kubernetes, null);

    public override string ToString() => Kind == SourceKind.File ? $"file:{Path}" : "kubernetes";
}

internal enum SourceKind
{
    Kubernetes,
    File,
}
