using System.Globalization;

namespace Sidecar.Injection;

/// <summary>
/// What in a selected Pod's own spec would keep the injected sidecar from working; such a Pod is denied (or,
/// with <c>--on-error allow</c>, admitted unchanged) with the reason, rather than patched into a Pod that
/// fails at start.
/// </summary>
internal static class PodCompatibility
{
    public const string PortSysctl = "net.ipv4.ip_unprivileged_port_start";

    /// <summary>The reason the Pod cannot take the sidecar, or null.</summary>
    public static string? Problem(PodSpec? spec, InjectorOptions options)
    {
        if (spec?.HostNetwork == true)
        {
            // The node's network namespace: every such Pod's sidecar would want the node's 127.0.0.2:53, and
            // a network sysctl is refused there (it would change the node).
            return "spec.hostNetwork: true: the sidecar serves DNS on 127.0.0.2:53 in the Pod's own network namespace; "
                + $"annotate the Pod {InjectionSelection.InjectAnnotation}: \"false\"";
        }
        if (options.Port53 != Port53Access.Capability && ExistingPortSysctl(spec) is { } value && !AllowsPort53(value))
        {
            return $"spec.securityContext.sysctls sets {PortSysctl}={value}: the sidecar needs port 53 unprivileged (53 or lower)";
        }
        return null;
    }

    /// <summary>Whether the patch must add the sysctl: asked for, and the Pod does not already allow port 53.</summary>
    public static bool NeedsPortSysctl(PodSpec? spec, InjectorOptions options) =>
        options.Port53 != Port53Access.Capability && ExistingPortSysctl(spec) is null;

    private static string? ExistingPortSysctl(PodSpec? spec) =>
        spec?.SecurityContext?.Sysctls?.Find(s => s.Name == PortSysctl) is { } sysctl ? sysctl.Value ?? "" : null;

    private static bool AllowsPort53(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var start) && start <= 53;
}
