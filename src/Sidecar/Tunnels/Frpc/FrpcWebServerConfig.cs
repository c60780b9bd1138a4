namespace Sidecar.Tunnels.Frpc;

/// <summary>frpc <c>[webServer]</c>: the admin API we reload through, on loopback with random credentials.</summary>
internal sealed class FrpcWebServerConfig
{
    public string Addr { get; init; } = "127.0.0.1";

    public required int Port { get; init; }

    public required string User { get; init; }

    /// <summary>A secret: only ever written into the 0600 config file.</summary>
    public required string Password { get; init; }
}
