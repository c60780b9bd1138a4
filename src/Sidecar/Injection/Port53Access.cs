namespace Sidecar.Injection;

/// <summary>
/// How the injected sidecar, a non-root process, may bind 127.0.0.2:53 (ports below 1024 are privileged).
/// </summary>
internal enum Port53Access
{
    /// <summary>
    /// The container keeps <c>NET_BIND_SERVICE</c> (all else dropped), which the image's file capability on the
    /// binary turns into an effective capability. The default: only the sidecar container gets it, no Pod-wide
    /// setting changes, and the Pod Security Standards' "restricted" profile allows exactly this one addition.
    /// </summary>
    Capability,

    /// <summary>
    /// The Pod's safe sysctl <c>net.ipv4.ip_unprivileged_port_start=53</c> (Kubernetes 1.22+), and no capability:
    /// for an image whose binary carries no file capability. It applies to every container of the Pod's network
    /// namespace. With the project's image, use <see cref="Capability"/> or <see cref="Both"/>: the kernel
    /// refuses to exec a binary with a file capability the container cannot hold (EPERM).
    /// </summary>
    Sysctl,

    /// <summary>Both, as deploy/example-pod.yaml: port 53 bindable whether or not the image has the file capability.</summary>
    Both,
}
