namespace Sidecar.Injection;

/// <summary>
/// Whether a Pod gets the sidecar. The namespace label <c>sidecar.kubeinfra.io/inject=enabled</c> is not part of
/// an AdmissionReview: the MutatingWebhookConfiguration's namespaceSelector sends such namespaces' Pods to the
/// opt-out path (<paramref name="injectByDefault"/> true), where only the annotation <c>"false"</c> keeps a Pod
/// out; everywhere else the Pod must say <c>"true"</c>.
/// </summary>
internal static class InjectionSelection
{
    public const string Prefix = "sidecar.kubeinfra.io/";
    public const string InjectAnnotation = Prefix + "inject";

    /// <summary>Written by the webhook on the Pods it patches, so one can list them.</summary>
    public const string StatusAnnotation = Prefix + "status";

    /// <summary>The container name that marks a Pod as injected (by us or by hand).</summary>
    public const string ContainerName = "sidecar";

    public static bool IsSelected(IReadOnlyDictionary<string, string>? annotations, bool injectByDefault)
    {
        if (annotations is null || !annotations.TryGetValue(InjectAnnotation, out var value))
        {
            return injectByDefault;
        }
        return value.Trim().ToLowerInvariant() switch
        {
            "true" => true,
            "false" => false,
            // Neither: selected, so the annotation check denies the Pod naming the value, rather than a typo
            // ("ture") silently leaving the Pod without its names.
            _ => true,
        };
    }

    public static bool IsInjected(PodSpec? spec) =>
        HasContainer(spec?.InitContainers) || HasContainer(spec?.Containers);

    private static bool HasContainer(List<NamedItem>? containers) =>
        containers is not null && containers.Exists(c => c.Name == ContainerName);
}
