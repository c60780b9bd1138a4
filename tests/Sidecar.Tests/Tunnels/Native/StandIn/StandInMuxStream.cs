using System.Buffers;
using System.Threading.Channels;

namespace Sidecar.Tests.Tunnels.Native.StandIn;

/// <summary>
/// The stand-in frps's side of one yamux stream: data frames from the client arrive through a channel (in
/// pooled buffers, returned once read); writes go out as Data frames within the send window the client
/// granted (256 KiB at first, then its WindowUpdates), as real yamux does: a client that reads slowly is
/// never sent more than it allowed. Receive window is handed back once half of the 6 MiB is consumed.
/// </summary>
internal sealed class StandInMuxStream(StandInConnection connection, uint id) : Stream
{
    /// <summary>yamux's initial window in both directions (hashicorp/yamux spec).</summary>
    public const int InitialWindow = 256 * 1024;

    /// <summary>frps writes data frames of at most this size (yamux sends what the window allows; 16 KiB keeps frames interleaved).</summary>
    private const int FramePayload = 16 * 1024;

    private readonly Channel<(byte[] Buffer, int Length)> _incoming = Channel.CreateUnbounded<(byte[], int)>();
    private readonly SemaphoreSlim _windowSignal = new(0);
    private byte[]? _current;
    private int _length;
    private int _offset;
    private uint _consumed;
    private long _sendWindow = InitialWindow;
    private volatile bool _reset;

    public uint Id => id;

    /// <summary>A received payload in a buffer rented from the shared pool; the stream returns it.</summary>
    public void Deliver(byte[] buffer, int length)
    {
        if (!_incoming.Writer.TryWrite((buffer, length)))
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void DeliverFin() => _incoming.Writer.TryComplete();

    public void DeliverReset()
    {
        _reset = true;
        _incoming.Writer.TryComplete(new IOException("reset by the client"));
        _windowSignal.Release();
    }

    /// <summary>The client's WindowUpdate (or its SYN's delta): more may be sent.</summary>
    public void GrantSendWindow(uint delta)
    {
        Interlocked.Add(ref _sendWindow, delta);
        _windowSignal.Release();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_current is null || _offset == _length)
        {
            if (_current is not null)
            {
                ArrayPool<byte>.Shared.Return(_current);
                _current = null;
            }
            if (!await _incoming.Reader.WaitToReadAsync(cancellationToken))
            {
                return 0;
            }
            _incoming.Reader.TryRead(out var next);
            (_current, _length, _offset) = (next.Buffer, next.Length, 0);
            // yamux's rule (and frps's behaviour in the recordings): grant window back once half of the 6 MiB is used.
            _consumed += (uint)_length;
            if (_consumed >= 3 * 1024 * 1024)
            {
                await connection.SendFrameAsync(1, 0, id, _consumed);
                _consumed = 0;
            }
        }
        var n = Math.Min(buffer.Length, _length - _offset);
        _current.AsSpan(_offset, n).CopyTo(buffer.Span);
        _offset += n;
        return n;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            if (_reset)
            {
                throw new IOException("reset by the client");
            }
            var window = Interlocked.Read(ref _sendWindow);
            if (window <= 0)
            {
                await _windowSignal.WaitAsync(cancellationToken);
                continue;
            }
            var n = (int)Math.Min(Math.Min(window, buffer.Length), FramePayload);
            Interlocked.Add(ref _sendWindow, -n);
            await connection.SendFrameAsync(0, 0, id, (uint)n, buffer[..n]);
            buffer = buffer[n..];
        }
    }

    public Task FinAsync() => connection.SendFrameAsync(1, 4, id, 0);

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    public override void Flush() { }
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
