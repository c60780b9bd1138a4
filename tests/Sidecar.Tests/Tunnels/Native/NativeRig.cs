using Sidecar.Endpoints;
using Sidecar.Tunnels.Native.Session;
using Sidecar.Tunnels.Native.Visitors;
using Sidecar.Tunnels.Native.Yamux;

namespace Sidecar.Tests.Tunnels.Native;

/// <summary>Settings that let the native visitor tests run fast against the plain-TCP stand-in frps.</summary>
internal static class NativeRig
{
    public static readonly FrpSessionOptions Plain = new()
    {
        Tls = false,
        ReconnectInitial = TimeSpan.FromMilliseconds(100),
        ReconnectMax = TimeSpan.FromMilliseconds(500),
        Yamux = new YamuxOptions { KeepAliveInterval = TimeSpan.Zero },
    };

    public static readonly NativeVisitorOptions Visitor = new() { SessionWait = TestNet.Patience };

    public static FrpsTarget Server(StandIn.StandInFrps frps, string token) =>
        new("frps-a", "127.0.0.1", frps.EndPoint.Port, token);
}
