using System.Text.Json.Serialization;

namespace Sidecar.Injection;

/// <summary>
/// The parts of an <c>admission.k8s.io/v1</c> AdmissionReview the webhook reads. Unknown members (userInfo,
/// options, oldObject, ...) are ignored, so a newer API server's additions never fail the parse.
/// </summary>
internal sealed class AdmissionReview
{
    public string? ApiVersion { get; set; }
    public string? Kind { get; set; }
    public AdmissionRequest? Request { get; set; }
}

internal sealed class AdmissionRequest
{
    /// <summary>Echoed in the response; the API server matches the answer to the request by it.</summary>
    public string? Uid { get; set; }
    public GroupVersionKind? Kind { get; set; }
    /// <summary>Set for a Pod being created even when the Pod's own metadata.namespace is empty.</summary>
    public string? Namespace { get; set; }
    public string? Operation { get; set; }
    public bool? DryRun { get; set; }
    public PodObject? Object { get; set; }
}

internal sealed class GroupVersionKind
{
    public string? Group { get; set; }
    public string? Version { get; set; }
    public string? Kind { get; set; }
}

/// <summary>The parts of a Pod the patch depends on.</summary>
internal sealed class PodObject
{
    public PodMetadata? Metadata { get; set; }
    public PodSpec? Spec { get; set; }
}

internal sealed class PodMetadata
{
    public string? Name { get; set; }
    public string? GenerateName { get; set; }
    public string? Namespace { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }
}

internal sealed class PodSpec
{
    public List<NamedItem>? InitContainers { get; set; }
    public List<NamedItem>? Containers { get; set; }
    public List<NamedItem>? Volumes { get; set; }
    public string? DnsPolicy { get; set; }
    public PodDnsConfig? DnsConfig { get; set; }
    public bool? HostNetwork { get; set; }
    public PodSecurityContext? SecurityContext { get; set; }
}

internal sealed class PodSecurityContext
{
    public List<PodSysctl>? Sysctls { get; set; }
}

internal sealed class PodSysctl
{
    public string? Name { get; set; }
    public string? Value { get; set; }
}

/// <summary>A container or volume: only its name matters here.</summary>
internal sealed class NamedItem
{
    public string? Name { get; set; }
}

internal sealed class PodDnsConfig
{
    public List<string>? Nameservers { get; set; }
    public List<string>? Searches { get; set; }
    public List<PodDnsOption>? Options { get; set; }
}

internal sealed class PodDnsOption
{
    public string? Name { get; set; }
    public string? Value { get; set; }
}
