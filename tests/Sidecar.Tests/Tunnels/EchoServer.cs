using System.Net;
using System.Net.Sockets;

namespace Sidecar.Tests.Tunnels;

/// <summary>
/// A loopback TCP backend standing in for the remote service. Echoes bytes; when the client half-closes it
/// sends <see cref="Trailer"/>, then closes its side too, so a test can see half-close pass both ways.
/// </summary>
internal sealed class EchoServer : IDisposable
{
    public static readonly byte[] Trailer = "<eof-seen>"u8.ToArray();

    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private int _accepted;

    public EchoServer()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(512);
        _ = AcceptLoopAsync();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    public int Accepted => Volatile.Read(ref _accepted);

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptAsync();
                Interlocked.Increment(ref _accepted);
                _ = EchoAsync(client);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    private static async Task EchoAsync(Socket client)
    {
        using (client)
        {
            var buffer = new byte[64 * 1024];
            try
            {
                int n;
                while ((n = await client.ReceiveAsync(buffer)) > 0)
                {
                    await client.SendAsync(buffer.AsMemory(0, n));
                }
                await client.SendAsync(Trailer);
                client.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException)
            {
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
