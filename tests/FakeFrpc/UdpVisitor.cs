using System.Net;
using System.Net.Sockets;

namespace FakeFrpc;

/// <summary>An sudp visitor stand-in: relays datagrams of the last client to the backend and back.</summary>
internal sealed class UdpVisitor : IDisposable
{
    private readonly Socket _socket;
    private readonly Socket _upstream;

    public UdpVisitor(VisitorSettings settings, BackendMap backends)
    {
        var bind = new IPEndPoint(IPAddress.Parse(settings.BindAddr), settings.BindPort);
        _socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _upstream = new Socket(SocketType.Dgram, ProtocolType.Udp);
        try
        {
            _socket.Bind(bind);
        }
        catch
        {
            _socket.Dispose();
            _upstream.Dispose();
            throw;
        }
        _ = RelayAsync(settings, backends);
    }

    private async Task RelayAsync(VisitorSettings settings, BackendMap backends)
    {
        var buffer = new byte[65536];
        EndPoint client = new IPEndPoint(IPAddress.Any, 0);
        try
        {
            _upstream.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _ = ReplyLoopAsync(() => client);
            while (true)
            {
                var result = await _socket.ReceiveFromAsync(buffer, client);
                client = result.RemoteEndPoint;
                if (backends.Find(settings.ServerName) is { } backend)
                {
                    await _upstream.SendToAsync(buffer.AsMemory(0, result.ReceivedBytes), backend);
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ReplyLoopAsync(Func<EndPoint> client)
    {
        var buffer = new byte[65536];
        try
        {
            while (true)
            {
                var read = await _upstream.ReceiveAsync(buffer);
                await _socket.SendToAsync(buffer.AsMemory(0, read), client());
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        _upstream.Dispose();
    }
}
