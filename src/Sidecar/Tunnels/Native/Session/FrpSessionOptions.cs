using Sidecar.Tunnels.Native.Yamux;

namespace Sidecar.Tunnels.Native.Session;

/// <summary>
/// How a native session reaches frps. Defaults are frpc v0.61.2's (pkg/config/v1/client.go Complete):
/// TLS on, without the custom 0x17 first byte (<c>disableCustomTLSFirstByte</c> defaults to true in
/// v0.61), the server certificate not verified unless a CA file is given (pkg/transport/tls.go
/// NewClientTLSConfig: InsecureSkipVerify without trustedCaFile), 10 s to dial and to log in, and no
/// application-level heartbeat because tcpMux keepalives do that job (heartbeatInterval -1 with tcpMux).
/// </summary>
internal sealed record FrpSessionOptions
{
    public bool Tls { get; init; } = true;

    /// <summary>Send frp's 0x17 marker before the TLS handshake (frps accepts TLS with or without it).</summary>
    public bool CustomTlsFirstByte { get; init; }

    /// <summary>PEM file of CA certificates; when set the server certificate and name are verified against it.</summary>
    public string? TrustedCaFile { get; init; }

    /// <summary>Name checked against the server certificate and sent as SNI; the dialled host when unset.</summary>
    public string? TlsServerName { get; init; }

    /// <summary>The frp user (frps checks a proxy's allowUsers against it); none by default, as frpc.</summary>
    public string? User { get; init; }

    public TimeSpan DialTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan LoginTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>frpc waits this long for NewVisitorConnResp (client/visitor/stcp.go).</summary>
    public TimeSpan VisitorResponseTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan ReconnectInitial { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>frpc's login retry tops out near 20 s (client/service.go loopLoginUntilSuccess).</summary>
    public TimeSpan ReconnectMax { get; init; } = TimeSpan.FromSeconds(20);

    public YamuxOptions Yamux { get; init; } = new();
}
