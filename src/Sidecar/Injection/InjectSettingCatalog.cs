using System.Net;
using Sidecar.Configuration;

namespace Sidecar.Injection;

/// <summary>
/// The settings of <c>sidecar inject</c>, declared as the sidecar's own are (<see cref="SettingCatalog"/>):
/// the same flag and parser rules, each variable <c>SIDECAR_INJECT_</c> + the upper snake case of the flag, so
/// no variable of the sidecar's can leak into the webhook or back. Logging keeps the sidecar's variables.
/// </summary>
internal static class InjectSettingCatalog
{
    private static readonly InjectorOptions Defaults = new();

    public static readonly Setting<IPEndPoint> ListenAddr = new("listen-addr", "SIDECAR_INJECT_LISTEN_ADDR",
        "HTTPS address of POST /mutate, /mutate-namespace, /healthz and /readyz.")
    {
        Default = new(IPAddress.Any, 8443), Expected = "ip:port", Parse = v => ValueParsers.ParseEndpoint(v, 8443),
    };
    public static readonly Setting<string?> TlsCertFile = new("tls-cert-file", "SIDECAR_INJECT_TLS_CERT_FILE",
        "PEM serving certificate (chain); reloaded when it changes on disk.")
    {
        Default = null, DefaultDescription = "(required)", Expected = "a file path", Parse = SettingParsers.NonEmpty,
    };
    public static readonly Setting<string?> TlsKeyFile = new("tls-key-file", "SIDECAR_INJECT_TLS_KEY_FILE",
        "PEM private key of the serving certificate; reloaded with it.")
    {
        Default = null, DefaultDescription = "(required)", Expected = "a file path", Parse = SettingParsers.NonEmpty,
    };
    public static readonly Setting<string> Image = new("image", "SIDECAR_INJECT_IMAGE", "Image of the injected sidecar container.")
    {
        Default = Defaults.Image, Expected = "an image reference", Parse = SettingParsers.NonEmpty,
    };
    public static readonly Setting<string> ClusterDomain = new("cluster-domain", "SIDECAR_INJECT_CLUSTER_DOMAIN",
        "The kubelet's cluster domain; the Pods' search domains derive from it.")
    {
        Default = Defaults.ClusterDomain, Expected = "a domain such as cluster.local",
        Parse = v => ValueParsers.ParseDomainList(v) is [var one] ? one : throw new FormatException("one domain"),
    };
    public static readonly Setting<IPAddress> ClusterDns = new("cluster-dns", "SIDECAR_INJECT_CLUSTER_DNS",
        "The cluster DNS service address, the injected sidecar's upstream for names it does not map.")
    {
        Default = IPAddress.Parse(Defaults.ClusterDns), Expected = "an IP address such as 10.96.0.10",
        Parse = v => IPAddress.TryParse(v.Trim(), out var ip) ? ip : throw new FormatException(""),
    };
    public static readonly Setting<IPNetwork> DefaultIpRange = new("default-ip-range", "SIDECAR_INJECT_DEFAULT_IP_RANGE",
        "The injected sidecar's --ip-range unless the Pod's sidecar.kubeinfra.io/ip-range says otherwise.")
    {
        Default = IPNetwork.Parse(Defaults.DefaultIpRange), Expected = "a CIDR such as 127.1.0.0/24", Parse = ValueParsers.ParseCidr,
    };
    public static readonly Setting<bool> AllowOnError = new("on-error", "SIDECAR_INJECT_ON_ERROR",
        "A Pod with a bad sidecar annotation: deny it, or allow it unchanged (with a warning).")
    {
        Default = false, DefaultDescription = "deny", Expected = "deny or allow",
        Parse = v => v.Trim().ToLowerInvariant() switch { "allow" => true, "deny" => false, _ => throw new FormatException("") },
    };

    public static readonly Setting<Port53Access> Port53 = new("port-53", "SIDECAR_INJECT_PORT_53",
        "How the non-root sidecar may bind port 53: the NET_BIND_SERVICE capability (with the image's file capability), the Pod sysctl net.ipv4.ip_unprivileged_port_start=53, or both.")
    {
        Default = Defaults.Port53, Expected = "capability, sysctl or both",
        Parse = v => v.Trim().ToLowerInvariant() switch
        {
            "capability" => Port53Access.Capability,
            "sysctl" => Port53Access.Sysctl,
            "both" => Port53Access.Both,
            _ => throw new FormatException(""),
        },
    };
    public static readonly Setting<string?> CpuRequest = Quantity("cpu-request", "The injected container's CPU request.", Defaults.Resources.CpuRequest);
    public static readonly Setting<string?> MemoryRequest = Quantity("memory-request", "The injected container's memory request.", Defaults.Resources.MemoryRequest);
    public static readonly Setting<string?> CpuLimit = Quantity("cpu-limit", "The injected container's CPU limit (none: no CFS throttling of DNS answers).", Defaults.Resources.CpuLimit);
    public static readonly Setting<string?> MemoryLimit = Quantity("memory-limit", "The injected container's memory limit.", Defaults.Resources.MemoryLimit);

    public static readonly IReadOnlyList<SettingDescriptor> All =
    [
        ListenAddr, TlsCertFile, TlsKeyFile, Image, ClusterDomain, ClusterDns, DefaultIpRange, AllowOnError,
        Port53, CpuRequest, MemoryRequest, CpuLimit, MemoryLimit,
        SettingCatalog.LogFormat, SettingCatalog.LogLevel,
    ];

    /// <summary>A Kubernetes quantity, or <c>none</c> to leave it out of the container's resources.</summary>
    private static Setting<string?> Quantity(string key, string help, string? defaultValue) =>
        new(key, "SIDECAR_INJECT_" + key.ToUpperInvariant().Replace('-', '_'), help)
        {
            Default = defaultValue, DefaultDescription = defaultValue ?? "none", Expected = "a Kubernetes quantity such as 10m or 64Mi, or none",
            Parse = v => v.Trim() is "none" ? null : ResourceQuantity.Parse(v) >= 0 ? v.Trim() : throw new FormatException(""),
        };
}
