namespace Sidecar.Discovery.Kubernetes;

/// <summary>
/// Which FRPServers one list/watch asks for: a label selector and/or a field selector (for custom resources
/// the API server supports only <c>metadata.name</c> and <c>metadata.namespace</c> as fields). The server
/// filters, so a Pod receives only the servers it uses.
/// </summary>
internal sealed record ResourceScope(string? LabelSelector, string? FieldSelector)
{
    public static readonly ResourceScope All = new(null, null);

    public static ResourceScope Named(string name, string? labelSelector) => new(labelSelector, $"metadata.name={name}");

    /// <summary>The query parameters, each with a leading '&amp;'.</summary>
    public string Query =>
        (string.IsNullOrEmpty(LabelSelector) ? "" : "&labelSelector=" + Uri.EscapeDataString(LabelSelector))
        + (string.IsNullOrEmpty(FieldSelector) ? "" : "&fieldSelector=" + Uri.EscapeDataString(FieldSelector));

    public override string ToString() =>
        string.Join(", ", new[] { LabelSelector is { Length: > 0 } l ? "labels " + l : null, FieldSelector is { Length: > 0 } f ? f : null }
            .Where(s => s is not null)) is { Length: > 0 } text ? text : "all";
}
