using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace Sidecar.Tunnels.Forwarding;

/// <summary>
/// One UDP client (source address and port) and its own connected socket towards frps's remote port, so
/// replies find their way back to the right client, the way a NAT mapping does.
/// </summary>
internal sealed class UdpFlow(SocketAddress client, Socket upstream, long now) : IDisposable
{
    private long _lastActive = now;

    public SocketAddress Client => client;

    public Socket Upstream => upstream;

    public long LastActive => Volatile.Read(ref _lastActive);

    public void Touch(long timestamp) => Volatile.Write(ref _lastActive, timestamp);

    /// <summary>Copies replies from upstream to the client until the flow is disposed.</summary>
    public async Task RelayRepliesAsync(Socket listener, TimeProvider time, TunnelCounters counters)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(UdpForwarder.MaxDatagram);
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await upstream.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
                {
                    // ICMP port unreachable for an earlier datagram: the flow itself is still fine.
                    continue;
                }
                Touch(time.GetTimestamp());
                await listener.SendToAsync(buffer.AsMemory(0, read), SocketFlags.None, client).ConfigureAwait(false);
                counters.BytesDown(read);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Disposed by expiry or shutdown, or the listener is gone.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose() => upstream.Dispose();
}
