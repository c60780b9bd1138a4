namespace Sidecar.Tunnels.Frpc;

/// <summary>frpc <c>[auth]</c>: token authentication towards frps.</summary>
internal sealed class FrpcAuthConfig
{
    public string Method { get; init; } = "token";

    /// <summary>A secret: only ever written into the 0600 config file.</summary>
    public required string Token { get; init; }
}
