using System.Net;
using System.Net.Sockets;

namespace FakeFrpc;

/// <summary>An stcp/xtcp visitor stand-in: accepts on bindAddr:bindPort and relays to the backend. Closing it
/// closes its connections too, as frpc does for a removed or changed visitor.</summary>
internal sealed class TcpVisitor : IDisposable
{
    private readonly Socket _listener;
    private readonly VisitorSettings _settings;
    private readonly BackendMap _backends;
    private readonly List<Socket> _open = [];

    public TcpVisitor(VisitorSettings settings, BackendMap backends)
    {
        _settings = settings;
        _backends = backends;
        var bind = new IPEndPoint(IPAddress.Parse(settings.BindAddr), settings.BindPort);
        _listener = new Socket(bind.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            _listener.Bind(bind);
            _listener.Listen(128);
        }
        catch
        {
            _listener.Dispose();
            throw;
        }
        _ = AcceptLoopAsync();
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptAsync();
                _ = RelayAsync(client);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task RelayAsync(Socket client)
    {
        using var upstream = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using (client)
        {
            lock (_open)
            {
                _open.Add(client);
                _open.Add(upstream);
            }
            try
            {
                var backend = _backends.Find(_settings.ServerName);
                if (backend is null)
                {
                    Log.Warn($"[{_settings.Name}] no backend for {_settings.ServerName}");
                    return;
                }
                await upstream.ConnectAsync(backend);
                await Task.WhenAll(CopyAsync(client, upstream), CopyAsync(upstream, client));
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
            finally
            {
                lock (_open)
                {
                    _open.Remove(client);
                    _open.Remove(upstream);
                }
            }
        }
    }

    private static async Task CopyAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReceiveAsync(buffer)) > 0)
        {
            await to.SendAsync(buffer.AsMemory(0, read));
        }
        to.Shutdown(SocketShutdown.Send);
    }

    public void Dispose()
    {
        _listener.Dispose();
        lock (_open)
        {
            foreach (var socket in _open)
            {
                socket.Dispose();
            }
        }
    }
}
