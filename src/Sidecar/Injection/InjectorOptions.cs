namespace Sidecar.Injection;

/// <summary>
/// The webhook's defaults for what a Pod's annotations do not say: the image, the cluster's DNS and domain,
/// and the sidecar's fixed addresses (the probes and dnsConfig depend on them, so annotations cannot move them).
/// </summary>
internal sealed record InjectorOptions
{
    public string Image { get; init; } = "ghcr.io/example/sidecar:0.1.0";

    /// <summary>The kubelet's --cluster-domain; the search domains are derived from it.</summary>
    public string ClusterDomain { get; init; } = "cluster.local";

    /// <summary>The cluster DNS service (kube-dns): the sidecar forwards names it does not map there, because
    /// with <c>dnsPolicy: None</c> its own resolv.conf points at itself.</summary>
    public string ClusterDns { get; init; } = "10.96.0.10";

    /// <summary>Used unless the Pod says <c>sidecar.kubeinfra.io/ip-range</c>; the sidecar requires one.</summary>
    public string DefaultIpRange { get; init; } = "127.1.0.0/24";

    /// <summary>The sidecar's DNS address, the Pod's first nameserver (the catalog's dns-addr default).</summary>
    public string Nameserver { get; init; } = "127.0.0.2";

    public int AdminPort { get; init; } = 9901;

    /// <summary>Where the emptyDir is mounted; the sidecar makes its state directory below it (0700).</summary>
    public string StateMount { get; init; } = "/tmp";

    public Port53Access Port53 { get; init; } = Port53Access.Capability;

    public SidecarResources Resources { get; init; } = SidecarResources.Default;

    /// <summary><c>--on-error allow</c>: a Pod with a bad annotation is admitted unchanged, with a warning, instead of denied.</summary>
    public bool AllowOnError { get; init; }
}
