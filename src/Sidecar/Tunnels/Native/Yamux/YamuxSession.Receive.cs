using System.Buffers;
using System.Runtime.CompilerServices;

namespace Sidecar.Tunnels.Native.Yamux;

internal sealed partial class YamuxSession
{
    private async Task ReadLoopAsync()
    {
        var header = new byte[YamuxHeader.Size];
        try
        {
            while (true)
            {
                var got = await _transport.ReadAtLeastAsync(header, YamuxHeader.Size, throwOnEndOfStream: false, _shutdown.Token).ConfigureAwait(false);
                if (got < YamuxHeader.Size)
                {
                    Fail(new YamuxProtocolException(got == 0 ? "frps closed the connection" : "the connection ended inside a yamux header"));
                    return;
                }
                var frame = YamuxHeader.Read(header);
                switch (frame.Type)
                {
                    case YamuxHeader.TypeData:
                        await OnDataAsync(frame).ConfigureAwait(false);
                        break;
                    case YamuxHeader.TypeWindowUpdate:
                        await OnStreamFlagsAsync(frame).ConfigureAwait(false);
                        break;
                    case YamuxHeader.TypePing:
                        await OnPingAsync(frame).ConfigureAwait(false);
                        break;
                    default:
                        Fail(new YamuxProtocolException(frame.Length == YamuxHeader.GoAwayNormal
                            ? "frps is going away (yamux GoAway)"
                            : $"frps ended the session with yamux GoAway code {frame.Length}"));
                        return;
                }
            }
        }
        catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
        {
            // Disposed.
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            Fail(e);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask OnDataAsync(YamuxHeader frame)
    {
        var stream = await OnStreamFlagsAsync(frame).ConfigureAwait(false);
        if (frame.Length == 0)
        {
            return;
        }
        if (stream is null)
        {
            // A stream we already closed or reset: the data has nowhere to go, but must be consumed.
            if (frame.Length > Options.MaxStreamWindow)
            {
                throw new YamuxProtocolException($"data frame of {frame.Length} bytes exceeds any window we granted");
            }
            await DiscardAsync((int)frame.Length).ConfigureAwait(false);
            return;
        }
        await stream.ReceiveAsync(_transport, (int)frame.Length, _shutdown.Token).ConfigureAwait(false);
    }

    /// <summary>Applies SYN/ACK/FIN/RST and a window delta; returns the stream, or null if it is unknown.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<YamuxStream?> OnStreamFlagsAsync(YamuxHeader frame)
    {
        if ((frame.Flags & YamuxFlags.Syn) != 0)
        {
            // frps does not open streams towards a client; refuse any it tries (and never let it pick our ids).
            await WriteFrameAsync(new YamuxHeader(YamuxHeader.TypeWindowUpdate, YamuxFlags.Rst, frame.StreamId, 0),
                ReadOnlyMemory<byte>.Empty, _shutdown.Token).ConfigureAwait(false);
            return null;
        }
        if (!_streams.TryGetValue(frame.StreamId, out var stream))
        {
            return null;
        }
        if (frame.Type == YamuxHeader.TypeWindowUpdate)
        {
            stream.GrantSendWindow(frame.Length);
        }
        if ((frame.Flags & YamuxFlags.Rst) != 0)
        {
            stream.Abort(new IOException("frps reset the stream"));
            _streams.TryRemove(frame.StreamId, out _);
            return null;
        }
        if ((frame.Flags & YamuxFlags.Fin) != 0)
        {
            stream.RemoteClosed();
        }
        return stream;
    }

    private async ValueTask OnPingAsync(YamuxHeader frame)
    {
        if ((frame.Flags & YamuxFlags.Syn) != 0)
        {
            await WriteFrameAsync(new YamuxHeader(YamuxHeader.TypePing, YamuxFlags.Ack, 0, frame.Length),
                ReadOnlyMemory<byte>.Empty, _shutdown.Token).ConfigureAwait(false);
        }
        else if ((frame.Flags & YamuxFlags.Ack) != 0)
        {
            Volatile.Read(ref _pendingPing)?.TrySetResult(frame.Length);
        }
    }

    private async ValueTask DiscardAsync(int length)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(length, 16 * 1024));
        try
        {
            while (length > 0)
            {
                var n = Math.Min(length, buffer.Length);
                await _transport.ReadExactlyAsync(buffer.AsMemory(0, n), _shutdown.Token).ConfigureAwait(false);
                length -= n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// yamux keepalive: a Ping every interval, answered within the write timeout or the session is declared
    /// dead (yamux's ErrKeepAliveTimeout), so a silently vanished frps is noticed within ~40 s as with frpc.
    /// </summary>
    private async Task KeepAliveLoopAsync()
    {
        uint id = 0;
        try
        {
            while (true)
            {
                await Task.Delay(Options.KeepAliveInterval, _time, _shutdown.Token).ConfigureAwait(false);
                var pending = new TaskCompletionSource<uint>(TaskCreationOptions.RunContinuationsAsynchronously);
                Volatile.Write(ref _pendingPing, pending);
                id++;
                await WriteFrameAsync(new YamuxHeader(YamuxHeader.TypePing, YamuxFlags.Syn, 0, id),
                    ReadOnlyMemory<byte>.Empty, _shutdown.Token).ConfigureAwait(false);
                try
                {
                    await pending.Task.WaitAsync(Options.WriteTimeout, _time, _shutdown.Token).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    Fail(new YamuxProtocolException($"frps did not answer a keepalive within {Options.WriteTimeout.TotalSeconds:0} s"));
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Session over.
        }
        catch (IOException)
        {
            // Session failed while writing; Fail already ran.
        }
    }
}
