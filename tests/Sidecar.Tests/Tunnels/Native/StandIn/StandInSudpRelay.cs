using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Sidecar.Tunnels.Native.Wire;

namespace Sidecar.Tests.Tunnels.Native.StandIn;

/// <summary>
/// The stand-in frps's sudp proxy side when a UDP backend is set: what frps plus the proxy's frpc do
/// (frp v0.61 client/proxy/sudp.go): each UDPPacket's content goes to the backend from one socket per
/// visitor-side client address, and each reply comes back as a UDPPacket naming that same address.
/// </summary>
internal sealed class StandInSudpRelay(Stream leg, IPEndPoint backend, Func<Stream, UdpPacketMessage, Task> send) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Socket> _flows = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();

    public async Task RunAsync()
    {
        while (await FrpMessageCodec.ReadAsync(leg, CancellationToken.None) is { } frame)
        {
            var packet = FrpMessageCodec.Decode(frame, FrpMessageType.UdpPacket, FrpWireJsonContext.Default.UdpPacketMessage);
            if (packet.RemoteAddr is not { } client || packet.Content is null)
            {
                continue;
            }
            var key = $"{client.IP}:{client.Port}";
            if (!_flows.TryGetValue(key, out var socket))
            {
                socket = new Socket(backend.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                socket.Connect(backend);
                _flows[key] = socket;
                _ = RepliesAsync(socket, client);
            }
            await socket.SendAsync(Convert.FromBase64String(packet.Content));
        }
    }

    private async Task RepliesAsync(Socket socket, UdpAddressJson client)
    {
        var buffer = new byte[65536];
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                var reply = new UdpPacketMessage { Content = Convert.ToBase64String(buffer, 0, read), RemoteAddr = client };
                await _writeLock.WaitAsync(_stop.Token);
                try
                {
                    await send(leg, reply);
                }
                finally
                {
                    _writeLock.Release();
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            // The visitor's stream or the relay ended.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var socket in _flows.Values)
        {
            socket.Dispose();
        }
        _stop.Dispose();
    }
}
