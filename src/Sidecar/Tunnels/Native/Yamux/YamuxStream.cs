using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Sidecar.Tunnels.Native.Yamux;

/// <summary>
/// One yamux stream as a <see cref="Stream"/>. Received data waits in a pipe bounded by the receive window we
/// granted; we grant more (a WindowUpdate) once the application has read at least half the maximum window
/// (yamux's rule), so a slow reader holds at most <see cref="YamuxOptions.MaxStreamWindow"/> bytes.
/// Writes wait for send window granted by frps. Disposing after both sides sent FIN is the graceful end;
/// disposing earlier resets the stream (RST) so frps releases its side at once.
/// </summary>
internal sealed partial class YamuxStream : Stream
{
    private readonly YamuxSession _session;
    private readonly Pipe _pipe;
    private readonly SemaphoreSlim _windowSignal = new(0);
    private readonly Lock _gate = new();
    private long _sendWindow = YamuxOptions.InitialWindow;
    private uint _receiveWindow = YamuxOptions.InitialWindow;
    private long _buffered;
    private bool _localClosed;
    private bool _remoteClosed;
    private bool _disposed;
    private Exception? _aborted;

    public YamuxStream(YamuxSession session, uint id)
    {
        _session = session;
        _pipe = new Pipe(session.PipeOptions);
        Id = id;
    }

    public uint Id { get; }

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var result = await _pipe.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var data = result.Buffer;
        if (buffer.IsEmpty)
        {
            // A zero-byte read waits for data without taking any, so an idle relay needs no buffer.
            _pipe.Reader.AdvanceTo(data.Start, data.Start);
            return 0;
        }
        if (data.IsEmpty)
        {
            _pipe.Reader.AdvanceTo(data.End);
            return 0;
        }
        var n = (int)Math.Min(data.Length, buffer.Length);
        data.Slice(0, n).CopyTo(buffer.Span);
        _pipe.Reader.AdvanceTo(data.GetPosition(n));
        Interlocked.Add(ref _buffered, -n);
        if (!_remoteClosed)
        {
            await SendWindowUpdateAsync(YamuxFlags.None, cancellationToken).ConfigureAwait(false);
        }
        return n;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            if (_aborted is { } reason)
            {
                throw new IOException("the stream was reset", reason);
            }
            ObjectDisposedException.ThrowIf(_localClosed, this);
            var window = Interlocked.Read(ref _sendWindow);
            if (window <= 0)
            {
                await _windowSignal.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }
            var n = (int)Math.Min(Math.Min(window, buffer.Length), _session.Options.MaxFramePayload);
            Interlocked.Add(ref _sendWindow, -n);
            await _session.WriteFrameAsync(new YamuxHeader(YamuxHeader.TypeData, YamuxFlags.None, Id, (uint)n),
                buffer[..n], cancellationToken).ConfigureAwait(false);
            buffer = buffer[n..];
        }
    }

    /// <summary>Half-close: a FIN tells frps we send no more; reading goes on until frps sends its FIN.</summary>
    public async ValueTask CloseWriteAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_localClosed || _aborted is not null)
            {
                return;
            }
            _localClosed = true;
        }
        await _session.WriteFrameAsync(new YamuxHeader(YamuxHeader.TypeWindowUpdate, YamuxFlags.Fin, Id, 0),
            ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
    }

    public override async ValueTask DisposeAsync()
    {
        bool sendFin, sendRst;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            // Both ends done: FIN if not yet sent. frps still sending to an application that left: RST.
            sendRst = _aborted is null && !_remoteClosed;
            sendFin = _aborted is null && _remoteClosed && !_localClosed;
            _localClosed = true;
        }
        _session.Forget(Id);
        _pipe.Reader.Complete();
        if ((sendFin || sendRst) && !_session.IsClosed)
        {
            try
            {
                await _session.WriteFrameAsync(new YamuxHeader(YamuxHeader.TypeWindowUpdate, sendRst ? YamuxFlags.Rst : YamuxFlags.Fin, Id, 0),
                    ReadOnlyMemory<byte>.Empty, CancellationToken.None).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The session is gone; nothing to tell.
            }
        }
        GC.SuppressFinalize(this);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        base.Dispose(disposing);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
