using System.Net;
using System.Net.Sockets;

namespace NativeBench;

/// <summary>
/// The peer path's stand-in for frps's remotePort of a tcp proxy: accepts and relays each connection to the
/// service (frps would relay through a work connection to the proxy's frpc; here directly, in the same
/// process as the stand-in frps, so both paths cross one extra process).
/// </summary>
internal sealed class TcpProxyPort
{
    public static TcpProxyPort Start(int port, IPEndPoint backend)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        listener.Listen(4096);
        _ = Task.Run(async () =>
        {
            while (true)
            {
                var client = await listener.AcceptAsync();
                _ = RelayAsync(client, backend);
            }
        });
        return new TcpProxyPort();
    }

    private static async Task RelayAsync(Socket client, IPEndPoint backend)
    {
        using (client)
        using (var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true })
        {
            try
            {
                client.NoDelay = true;
                await upstream.ConnectAsync(backend);
                await Task.WhenAll(PumpAsync(client, upstream), PumpAsync(upstream, client));
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }
}
