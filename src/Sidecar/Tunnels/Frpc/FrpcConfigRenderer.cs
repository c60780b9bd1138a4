using System.Net;
using Tomlyn;

namespace Sidecar.Tunnels.Frpc;

/// <summary>Builds the frpc config for one frp server and its visitors, and renders it as TOML.</summary>
internal static class FrpcConfigRenderer
{
    public static FrpcConfig Build(Endpoints.FrpsTarget server, FrpcAdminCredentials admin, int adminPort,
        IEnumerable<FrpcVisitor> visitors) => new()
    {
        ServerAddr = server.Host,
        ServerPort = server.Port,
        LoginFailExit = false,
        Auth = string.IsNullOrEmpty(server.Token) ? null : new FrpcAuthConfig { Token = server.Token },
        Log = new FrpcLogConfig(),
        WebServer = new FrpcWebServerConfig
        {
            Addr = IPAddress.Loopback.ToString(),
            Port = adminPort,
            User = admin.User,
            Password = admin.Password,
        },
        Visitors = [.. visitors.SelectMany(v => v.ToConfigs())],
    };

    public static string Render(FrpcConfig config) => TomlSerializer.Serialize(config, FrpcTomlContext.Default.FrpcConfig);
}
