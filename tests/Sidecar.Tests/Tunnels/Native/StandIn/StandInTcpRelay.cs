using System.Net;
using System.Net.Sockets;

namespace Sidecar.Tests.Tunnels.Native.StandIn;

/// <summary>
/// The stand-in frps's stcp proxy side when a TCP backend is set: what frps plus the proxy's frpc do with a
/// visitor connection — one connection to the service, bytes both ways, the service's FIN passed on.
/// Returns when both directions are done; the caller sends the visitor stream's FIN.
/// </summary>
internal static class StandInTcpRelay
{
    public static async Task RunAsync(Stream leg, IPEndPoint backend)
    {
        using var socket = new Socket(backend.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(backend);
        }
        catch (SocketException)
        {
            return;
        }
        await using var service = new NetworkStream(socket, ownsSocket: false);
        var up = Task.Run(async () =>
        {
            try
            {
                await leg.CopyToAsync(service, 64 * 1024);
                socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
            }
        });
        try
        {
            await service.CopyToAsync(leg, 64 * 1024);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
        }
        await up;
    }
}
