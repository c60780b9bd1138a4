using System.Buffers;
using System.Net.Sockets;

namespace Sidecar.Tunnels.Forwarding;

/// <summary>
/// Copies one client connection to its upstream and back. Each direction waits for data with a zero-byte
/// read and rents a buffer only while data flows, so an idle connection holds no buffer; a write is awaited
/// before the next read, so a slow reader slows the sender (backpressure through the TCP windows).
/// Steady state allocates nothing: socket operations complete through the sockets' cached awaitables.
/// </summary>
internal sealed class TcpRelay(Socket client, Socket upstream, int bufferSize, TunnelCounters counters)
{
    private int _closed;

    public async Task RunAsync()
    {
        var toUpstream = PumpAsync(client, upstream, up: true);
        var toClient = PumpAsync(upstream, client, up: false);
        await Task.WhenAll(toUpstream, toClient).ConfigureAwait(false);
        Close(reset: false);
    }

    /// <summary>Ends both directions at once (shutdown of the tunnel).</summary>
    public void Abort() => Close(reset: true);

    private async Task PumpAsync(Socket from, Socket to, bool up)
    {
        byte[]? buffer = null;
        try
        {
            while (true)
            {
                if (buffer is null)
                {
                    await from.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
                    buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
                }
                var read = await from.ReceiveAsync(buffer.AsMemory(0, bufferSize), SocketFlags.None).ConfigureAwait(false);
                if (read == 0)
                {
                    // Half-close: pass the FIN on and keep the other direction open (RFC 9293 §3.6).
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }
                var sent = 0;
                while (sent < read)
                {
                    sent += await to.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None).ConfigureAwait(false);
                }
                if (up)
                {
                    counters.BytesUp(read);
                }
                else
                {
                    counters.BytesDown(read);
                }
                if (read < bufferSize)
                {
                    // Drained for now: give the buffer back before waiting again.
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // A reset or error on either side ends both directions; the peer sees a reset too.
            Close(reset: true);
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private void Close(bool reset)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }
        foreach (var socket in (ReadOnlySpan<Socket>)[client, upstream])
        {
            try
            {
                if (reset)
                {
                    socket.LingerState = new LingerOption(true, 0);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
            socket.Dispose();
        }
    }
}
