using System.Buffers;
using System.Runtime.CompilerServices;

namespace Sidecar.Tunnels.Native.Session;

/// <summary>
/// The socket under the session's TLS: reads in batches and, once <see cref="CoalesceWrites"/> is on, holds
/// writes until <see cref="FlushAsync(CancellationToken)"/>. TLS cuts a 64 KiB yamux frame into four records,
/// each its own write; sent one by one that is four system calls, which on loopback cost more than the
/// encryption (perf: kernel 64 %, libcrypto 17 % of the sidecar's CPU in bench/native.sh). Coalesced, a
/// frame is one send; batched reads likewise take several records per receive. Buffers are rented only
/// while bytes wait in them, so an idle session holds none.
/// One reader and one writer at a time (the yamux read loop; writers under the session's write lock).
/// </summary>
internal sealed class BatchingTransportStream(Stream inner) : Stream
{
    /// <summary>
    /// Large enough for the largest frame we send (<see cref="Yamux.YamuxOptions.MaxFramePayload"/>) with its TLS
    /// record overhead; anything larger still goes out, in two sends.
    /// </summary>
    private const int WriteBatch = 64 * 1024;

    /// <summary>A receive takes up to this much; more than one 16 KiB TLS record, so records arrive in batches.</summary>
    private const int ReadBatch = 64 * 1024;

    private byte[]? _read;
    private int _readStart;
    private int _readEnd;
    private byte[]? _write;
    private int _written;
    private volatile bool _coalesce;

    /// <summary>From now on writes wait for a flush (before: the handshake's writes go out as they come).</summary>
    public void CoalesceWrites() => _coalesce = true;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_readStart == _readEnd)
        {
            if (buffer.Length >= ReadBatch)
            {
                return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            if (_read is null)
            {
                // Wait for data without a buffer (zero-byte read), then take what has arrived in one receive.
                await inner.ReadAsync(Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
                if (buffer.IsEmpty)
                {
                    return 0;
                }
                _read = ArrayPool<byte>.Shared.Rent(ReadBatch);
            }
            var received = await inner.ReadAsync(_read.AsMemory(0, ReadBatch), cancellationToken).ConfigureAwait(false);
            if (received == 0)
            {
                ReturnReadBuffer();
                return 0;
            }
            (_readStart, _readEnd) = (0, received);
        }
        var n = Math.Min(buffer.Length, _readEnd - _readStart);
        _read.AsSpan(_readStart, n).CopyTo(buffer.Span);
        _readStart += n;
        if (_readStart == _readEnd)
        {
            ReturnReadBuffer();
        }
        return n;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_coalesce)
        {
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (_written + buffer.Length > WriteBatch)
        {
            await SendPendingAsync(cancellationToken).ConfigureAwait(false);
            if (buffer.Length > WriteBatch)
            {
                await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
                return;
            }
        }
        _write ??= ArrayPool<byte>.Shared.Rent(WriteBatch);
        buffer.Span.CopyTo(_write.AsSpan(_written));
        _written += buffer.Length;
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await SendPendingAsync(cancellationToken).ConfigureAwait(false);
        await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendPendingAsync(CancellationToken cancellationToken)
    {
        if (_write is not { } pending)
        {
            return;
        }
        var count = _written;
        (_write, _written) = (null, 0);
        try
        {
            await inner.WriteAsync(pending.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pending);
        }
    }

    private void ReturnReadBuffer()
    {
        if (_read is { } read)
        {
            _read = null;
            (_readStart, _readEnd) = (0, 0);
            ArrayPool<byte>.Shared.Return(read);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // The buffers are not returned: a read or write may still be using them when the session is torn down.
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
