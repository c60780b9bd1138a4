namespace Sidecar.Endpoints;

/// <summary>
/// Everything that differs between frp proxy types, in one table: its name in frp, its transport, how its tunnel
/// is opened, whether the in-process engine serves it, and what it falls back to. Extraction, the reconciler's
/// view and the tunnel driver read these rows instead of naming types; a new proxy type is one row here.
/// </summary>
/// <param name="Name">frp's spelling (<c>proxyType</c>, the visitor's <c>type</c>); also used in logs and views.</param>
/// <param name="IsUdp">Datagrams: a UDP listener, DNS answers for a udp port, a udp forwarder or visitor.</param>
/// <param name="Tunnel">How the local end is opened; <see cref="TunnelKind.Forwarder"/> needs the proxy's remotePort.</param>
/// <param name="NativeVisitor">The in-process engine (<c>--tunnel-engine native</c>) has a visitor for it; else frpc serves it.</param>
/// <param name="Fallback">The type a visitor falls back to when this one fails (xtcp hole punching → stcp), if any.</param>
internal sealed record ProxyTypeTraits(ProxyType Type, string Name, bool IsUdp, TunnelKind Tunnel, bool NativeVisitor, ProxyType? Fallback)
{
    /// <summary>Indexed by <see cref="ProxyType"/>; every value has a row.</summary>
    private static readonly ProxyTypeTraits[] Table =
    [
        new(ProxyType.Tcp, "tcp", IsUdp: false, TunnelKind.Forwarder, NativeVisitor: false, Fallback: null),
        new(ProxyType.Udp, "udp", IsUdp: true, TunnelKind.Forwarder, NativeVisitor: false, Fallback: null),
        new(ProxyType.Stcp, "stcp", IsUdp: false, TunnelKind.Visitor, NativeVisitor: true, Fallback: null),
        new(ProxyType.Sudp, "sudp", IsUdp: true, TunnelKind.Visitor, NativeVisitor: true, Fallback: null),
        new(ProxyType.Xtcp, "xtcp", IsUdp: false, TunnelKind.Visitor, NativeVisitor: false, Fallback: ProxyType.Stcp),
        new(ProxyType.Http, "http", IsUdp: false, TunnelKind.None, NativeVisitor: false, Fallback: null),
        new(ProxyType.Https, "https", IsUdp: false, TunnelKind.None, NativeVisitor: false, Fallback: null),
        new(ProxyType.Tcpmux, "tcpmux", IsUdp: false, TunnelKind.None, NativeVisitor: false, Fallback: null),
    ];

    /// <summary>The types the sidecar can open, as a sentence for messages: "tcp, udp, stcp, sudp or xtcp".</summary>
    public static string Supported { get; } = JoinWithOr(Array.ConvertAll(Array.FindAll(Table, t => t.Tunnel != TunnelKind.None), t => t.Name));

    /// <summary>The tunnel dials frps's public <c>remotePort</c>, which the proxy must therefore publish.</summary>
    public bool NeedsRemotePort => Tunnel == TunnelKind.Forwarder;

    public static ProxyTypeTraits Of(ProxyType type) => Table[(int)type];

    /// <summary>frp's name of a type, in any letter case; nothing else (no numbers, no lists).</summary>
    public static bool TryParse(string? text, out ProxyType type)
    {
        foreach (var row in Table)
        {
            if (string.Equals(row.Name, text, StringComparison.OrdinalIgnoreCase))
            {
                type = row.Type;
                return true;
            }
        }
        type = default;
        return false;
    }

    private static string JoinWithOr(string[] names) =>
        names.Length < 2 ? string.Concat(names) : $"{string.Join(", ", names[..^1])} or {names[^1]}";
}
