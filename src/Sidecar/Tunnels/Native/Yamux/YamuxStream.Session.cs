using System.Buffers;
using System.Runtime.CompilerServices;

namespace Sidecar.Tunnels.Native.Yamux;

/// <summary>The side of a stream the session drives: frames from frps (data, window, FIN/RST) and our window grants.</summary>
internal sealed partial class YamuxStream
{
    /// <summary>Grants frps more receive window once enough was consumed (or unconditionally with SYN).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    internal async ValueTask SendWindowUpdateAsync(YamuxFlags flags, CancellationToken cancellationToken)
    {
        uint delta;
        lock (_gate)
        {
            var max = _session.Options.MaxStreamWindow;
            var buffered = (uint)Math.Min(Interlocked.Read(ref _buffered), max);
            delta = max - buffered - Math.Min(_receiveWindow, max - buffered);
            if (delta < max / 2 && flags == YamuxFlags.None)
            {
                return;
            }
            _receiveWindow += delta;
        }
        await _session.WriteFrameAsync(new YamuxHeader(YamuxHeader.TypeWindowUpdate, flags, Id, delta),
            ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Called by the session's reader loop with the transport positioned at a payload for us.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    internal async ValueTask ReceiveAsync(Stream transport, int length, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if ((uint)length > _receiveWindow)
            {
                throw new YamuxProtocolException($"frps sent {length} bytes on stream {Id}, over the {_receiveWindow}-byte window granted");
            }
            _receiveWindow -= (uint)length;
        }
        if (_disposed || _remoteClosed)
        {
            var scratch = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                await transport.ReadExactlyAsync(scratch.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }
            return;
        }
        // In pieces that each fit one block of the session's receive pool (a frame may be as large as the window).
        for (var left = length; left > 0;)
        {
            var piece = Math.Min(left, ReceiveBufferPool.BlockSize);
            var memory = _pipe.Writer.GetMemory(piece)[..piece];
            await transport.ReadExactlyAsync(memory, cancellationToken).ConfigureAwait(false);
            _pipe.Writer.Advance(piece);
            left -= piece;
        }
        Interlocked.Add(ref _buffered, length);
        await _pipe.Writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    internal void GrantSendWindow(uint delta)
    {
        if (delta > 0)
        {
            Interlocked.Add(ref _sendWindow, delta);
            _windowSignal.Release();
        }
    }

    internal void RemoteClosed()
    {
        bool forget;
        lock (_gate)
        {
            if (_remoteClosed)
            {
                return;
            }
            _remoteClosed = true;
            forget = _localClosed;
        }
        _pipe.Writer.Complete();
        if (forget)
        {
            _session.Forget(Id);
        }
    }

    internal void Abort(Exception reason)
    {
        lock (_gate)
        {
            if (_aborted is not null)
            {
                return;
            }
            _aborted = reason;
        }
        _pipe.Writer.Complete(reason);
        _windowSignal.Release();
    }
}
