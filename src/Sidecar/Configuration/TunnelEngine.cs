namespace Sidecar.Configuration;

/// <summary>What speaks frp's visitor protocol for stcp and sudp tunnels (xtcp always uses frpc).</summary>
internal enum TunnelEngine
{
    /// <summary>One frpc child per frp server (the default until the native engine's end-to-end proof holds).</summary>
    Frpc,
    /// <summary>In-process visitors (Tunnels/Native): no child, no secrets on disk, listeners that stay bound.</summary>
    Native,
}
