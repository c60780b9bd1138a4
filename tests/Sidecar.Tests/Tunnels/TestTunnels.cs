using System.Net;
using Sidecar.Endpoints;
using Sidecar.Tunnels;

namespace Sidecar.Tests.Tunnels;

internal static class TestTunnels
{
    public static FrpsTarget Server(int port = 7000, string? token = "s3cret-token", string resource = "frps-a") =>
        new(resource, "127.0.0.1", port, token);

    public static Tunnel Visitor(ProxyType type, string proxyName, int localPort, FrpsTarget? server = null, string? secretKey = "sk-1") =>
        new(new Endpoint(proxyName, localPort, proxyName, type, server ?? Server(), null, secretKey), IPAddress.Loopback);

    /// <summary>A tcp/udp tunnel whose "frps remote port" is a loopback backend.</summary>
    public static Tunnel Forwarded(ProxyType type, int localPort, IPEndPoint backend, string service = "svc") =>
        new(new Endpoint(service, localPort, service, type, new FrpsTarget("frps-a", backend.Address.ToString(), 7000, null), backend.Port, null),
            IPAddress.Loopback);
}
