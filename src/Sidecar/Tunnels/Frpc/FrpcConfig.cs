namespace Sidecar.Tunnels.Frpc;

/// <summary>
/// The frpc configuration file (frp v0.52+ TOML, <c>pkg/config/v1/client.go</c>): only the keys we set,
/// since frpc rejects unknown keys. Holds the auth token and visitor secrets: written with mode 0600 only.
/// </summary>
internal sealed class FrpcConfig
{
    public required string ServerAddr { get; init; }

    public required int ServerPort { get; init; }

    /// <summary>
    /// False so an unreachable frps at start does not exit frpc (frp's default true exits with code 1):
    /// frpc keeps retrying by itself and its admin API stays up for reloads.
    /// </summary>
    public bool LoginFailExit { get; init; }

    public FrpcAuthConfig? Auth { get; init; }

    public required FrpcLogConfig Log { get; init; }

    public required FrpcWebServerConfig WebServer { get; init; }

    public required List<FrpcVisitorConfig> Visitors { get; init; }
}
