using System.Buffers;
using System.Net.Sockets;

namespace Sidecar.Tunnels.Native.Visitors;

/// <summary>
/// Copies one application connection to its visitor leg and back, with half-close passed on both ways (an
/// application FIN becomes a yamux FIN; frps's FIN becomes a socket shutdown). Like the forwarder's relay,
/// a buffer is rented only while data flows, so an idle connection holds none; a failure on either side
/// resets both.
/// </summary>
internal sealed class StreamRelay(Socket client, VisitorLeg leg, int bufferSize, TunnelCounters counters)
{
    public async Task RunAsync()
    {
        var up = UpAsync();
        var down = DownAsync();
        try
        {
            await Task.WhenAll(up, down).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or InvalidDataException)
        {
            client.LingerState = new LingerOption(true, 0);
            client.Dispose();
            await leg.DisposeAsync().ConfigureAwait(false);
            // Let the other direction observe the closed ends before returning.
            await Task.WhenAll(up, down).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task UpAsync()
    {
        byte[]? buffer = null;
        try
        {
            while (true)
            {
                if (buffer is null)
                {
                    await client.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
                    buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
                }
                var read = await client.ReceiveAsync(buffer.AsMemory(0, bufferSize), SocketFlags.None).ConfigureAwait(false);
                if (read == 0)
                {
                    await leg.ShutdownWriteAsync(CancellationToken.None).ConfigureAwait(false);
                    return;
                }
                await leg.Data.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
                counters.BytesUp(read);
                if (read < bufferSize)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                }
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private async Task DownAsync()
    {
        byte[]? buffer = null;
        try
        {
            while (true)
            {
                if (buffer is null)
                {
                    await leg.Data.ReadAsync(Memory<byte>.Empty).ConfigureAwait(false);
                    buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
                }
                var read = await leg.Data.ReadAsync(buffer.AsMemory(0, bufferSize)).ConfigureAwait(false);
                if (read == 0)
                {
                    client.Shutdown(SocketShutdown.Send);
                    return;
                }
                var sent = 0;
                while (sent < read)
                {
                    sent += await client.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None).ConfigureAwait(false);
                }
                counters.BytesDown(read);
                if (read < bufferSize)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                }
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
