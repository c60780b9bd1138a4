namespace Sidecar.Endpoints;

/// <summary>How the sidecar opens the local end of a proxy type's tunnel.</summary>
internal enum TunnelKind
{
    /// <summary>Nothing the sidecar can open: frps serves the type on its own HTTP(S)/tcpmux port.</summary>
    None,

    /// <summary>Our own relay to frps's public <c>remotePort</c> (<c>Tunnels/Forwarding</c>); frp has no visitor for it.</summary>
    Forwarder,

    /// <summary>An frp visitor dialling frps's control port: frpc (<c>Tunnels/Frpc</c>) or in-process (<c>Tunnels/Native</c>).</summary>
    Visitor,
}
