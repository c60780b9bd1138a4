using System.Net;
using System.Net.Sockets;

namespace Sidecar.Tests.Tunnels;

/// <summary>A loopback UDP backend: answers each datagram with "echo:" + the datagram.</summary>
internal sealed class UdpEchoServer : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

    public UdpEchoServer()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _ = LoopAsync();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    private async Task LoopAsync()
    {
        var buffer = new byte[65536];
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0));
                var reply = "echo:"u8.ToArray().Concat(buffer.Take(result.ReceivedBytes)).ToArray();
                await _socket.SendToAsync(reply, result.RemoteEndPoint);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    public void Dispose() => _socket.Dispose();
}
