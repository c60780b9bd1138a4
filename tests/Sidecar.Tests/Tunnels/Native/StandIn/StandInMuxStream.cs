using System.Threading.Channels;

namespace Sidecar.Tests.Tunnels.Native.StandIn;

/// <summary>
/// The stand-in frps's side of one yamux stream: data frames from the client arrive through a channel;
/// writes go out as Data frames. The stand-in hands back receive window once half of it is consumed and does not
/// police its own send window (the client grants 6 MiB, more than any test sends).
/// </summary>
internal sealed class StandInMuxStream(StandInConnection connection, uint id) : Stream
{
    private readonly Channel<byte[]> _incoming = Channel.CreateUnbounded<byte[]>();
    private byte[] _current = [];
    private int _offset;
    private uint _consumed;

    public uint Id => id;

    public void Deliver(byte[] data) => _incoming.Writer.TryWrite(data);

    public void DeliverFin() => _incoming.Writer.TryComplete();

    public void DeliverReset() => _incoming.Writer.TryComplete(new IOException("reset by the client"));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_offset == _current.Length)
        {
            if (!await _incoming.Reader.WaitToReadAsync(cancellationToken))
            {
                return 0;
            }
            _incoming.Reader.TryRead(out var next);
            _current = next!;
            _offset = 0;
            // yamux's rule (and frps's behaviour in the recordings): grant window back once half of the 6 MiB is used.
            _consumed += (uint)_current.Length;
            if (_consumed >= 3 * 1024 * 1024)
            {
                await connection.SendFrameAsync(1, 0, id, _consumed);
                _consumed = 0;
            }
        }
        var n = Math.Min(buffer.Length, _current.Length - _offset);
        _current.AsSpan(_offset, n).CopyTo(buffer.Span);
        _offset += n;
        return n;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < buffer.Length; i += 16 * 1024)
        {
            var slice = buffer.Slice(i, Math.Min(16 * 1024, buffer.Length - i));
            await connection.SendFrameAsync(0, 0, id, (uint)slice.Length, slice.ToArray());
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
