namespace Sidecar.Tunnels;

internal enum TunnelState
{
    /// <summary>Opened, not yet accepting connections (frpc starting, bind retrying).</summary>
    Starting,
    /// <summary>Accepting connections on the local address.</summary>
    Listening,
    /// <summary>Cannot work now (frpc missing, bind failed); retried where that can help.</summary>
    Failed,
    /// <summary>A proxy type we do not tunnel (http, https, tcpmux).</summary>
    Unsupported,
}
