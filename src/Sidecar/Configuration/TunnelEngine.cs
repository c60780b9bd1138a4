namespace Sidecar.Configuration;

/// <summary>What speaks frp's visitor protocol for stcp and sudp tunnels (xtcp uses frpc, or its stcp twin natively without one).</summary>
internal enum TunnelEngine
{
    /// <summary>One frpc child per frp server, still selectable (e.g. to keep frpc's behaviour byte for byte).</summary>
    Frpc,
    /// <summary>The default: in-process visitors (Tunnels/Native): no child, no secrets on disk, listeners that stay bound.</summary>
    Native,
}
