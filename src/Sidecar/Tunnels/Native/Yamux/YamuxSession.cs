using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Sidecar.Tunnels.Native.Yamux;

/// <summary>
/// The client side of a yamux session (hashicorp/yamux spec.md; frp's fork speaks the same frames) over one
/// connection to frps: we open streams with odd ids, answer pings, send keepalives, and track flow-control
/// windows. frps never opens streams towards a client, so a SYN from it is refused with RST.
/// One reader loop owns the incoming side; writers share the connection under one lock, one frame at a time.
/// </summary>
internal sealed partial class YamuxSession : IAsyncDisposable
{
    private readonly Stream _transport;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<uint, YamuxStream> _streams = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private uint _nextStreamId = 1;
    private Exception? _failure;
    private Task? _reader;
    private Task? _keepAlive;
    // The keep-alive's ping awaiting its ack; completed by the read loop.
    private TaskCompletionSource<uint>? _pendingPing;
    // When the write in progress began (TimeProvider timestamp), 0 when none is; read by the watchdog.
    private long _writeStarted;
    private ITimer? _watchdog;
    private readonly ReceiveBufferPool _receiveBuffers;

    public YamuxSession(Stream transport, YamuxOptions options, TimeProvider time)
    {
        _transport = transport;
        Options = options;
        _time = time;
        _receiveBuffers = new ReceiveBufferPool(time);
        // The reader (the application's relay) continues inline on the session's read loop when a frame arrives:
        // its send to the application usually completes at once, so a frame costs no hop to another thread (the
        // thread-pool wake-ups were a fifth of the CPU of the service -> app direction in bench/native.sh).
        // Segments are whole blocks of this session's receive pool (anonymous memory, unmapped once unused).
        PipeOptions = new PipeOptions(pool: _receiveBuffers,
            readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline,
            pauseWriterThreshold: 0, minimumSegmentSize: ReceiveBufferPool.BlockSize, useSynchronizationContext: false);
    }

    /// <summary>How each stream's receive pipe is set up.</summary>
    internal PipeOptions PipeOptions { get; }

    /// <summary>Blocks of received data the session has mapped (buffered or kept for reuse).</summary>
    internal int ReceiveBlocks => _receiveBuffers.MappedBlocks;

    public YamuxOptions Options { get; }

    /// <summary>Completes when the session is over; faulted with the reason if it broke.</summary>
    public Task Completion => _completion.Task;

    public bool IsClosed => _shutdown.IsCancellationRequested;

    public int StreamCount => _streams.Count;

    /// <summary>Starts the reader loop and keepalives.</summary>
    public void Start()
    {
        _reader = Task.Run(ReadLoopAsync);
        var check = Options.WriteTimeout / 4;
        _watchdog = _time.CreateTimer(static state => ((YamuxSession)state!).CheckWriteStall(), this, check, check);
        if (Options.KeepAliveInterval > TimeSpan.Zero)
        {
            _keepAlive = Task.Run(KeepAliveLoopAsync);
        }
    }

    /// <summary>
    /// Opens a stream: a WindowUpdate with SYN that also raises our receive window from the initial 256 KiB
    /// to <see cref="YamuxOptions.MaxStreamWindow"/>, as frpc's first frame of every stream does. Like yamux,
    /// data may follow at once; the ACK is not awaited.
    /// </summary>
    public async ValueTask<YamuxStream> OpenStreamAsync(CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        var id = Interlocked.Add(ref _nextStreamId, 2) - 2;
        if (id > uint.MaxValue - 2)
        {
            throw new YamuxProtocolException("stream ids exhausted on this session");
        }
        var stream = new YamuxStream(this, id);
        _streams[id] = stream;
        try
        {
            await stream.SendWindowUpdateAsync(YamuxFlags.Syn, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _streams.TryRemove(id, out _);
            throw;
        }
        return stream;
    }

    /// <summary>
    /// Writes one frame: header and payload in one write, then a flush (the transport sends a frame's TLS records
    /// together), so frames never interleave. The hot path allocates nothing: a pooled buffer, an uncontended
    /// lock, no per-write cancellation source or timer; a write stuck for <see cref="YamuxOptions.WriteTimeout"/>
    /// is noticed by <see cref="CheckWriteStall"/>, which ends the session (as yamux's ConnectionWriteTimeout).
    /// A started write is never cancelled by <paramref name="cancellationToken"/> (half a frame would corrupt the
    /// session); the token only gives up the wait for the lock.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    internal async ValueTask WriteFrameAsync(YamuxHeader header, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(YamuxHeader.Size + payload.Length);
        try
        {
            ThrowIfClosed();
            header.Write(buffer);
            payload.Span.CopyTo(buffer.AsSpan(YamuxHeader.Size));
            Volatile.Write(ref _writeStarted, _time.GetTimestamp());
            await _transport.WriteAsync(buffer.AsMemory(0, YamuxHeader.Size + payload.Length), CancellationToken.None).ConfigureAwait(false);
            await _transport.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            Fail(e);
            throw new YamuxProtocolException(_failure is YamuxProtocolException stuck ? stuck.Message : "the connection to frps broke", e);
        }
        finally
        {
            Volatile.Write(ref _writeStarted, 0);
            ArrayPool<byte>.Shared.Return(buffer);
            _writeLock.Release();
        }
    }

    /// <summary>
    /// The write watchdog (a timer, every quarter of the write timeout): a write in progress for longer than the
    /// timeout means the connection is stuck, so the session is over and the write fails with it.
    /// </summary>
    private void CheckWriteStall()
    {
        var started = Volatile.Read(ref _writeStarted);
        if (started != 0 && _time.GetElapsedTime(started) >= Options.WriteTimeout)
        {
            Fail(new YamuxProtocolException($"write to frps did not complete within {Options.WriteTimeout.TotalSeconds:0} s: the session to frps is stuck"));
        }
    }

    internal void Forget(uint streamId) => _streams.TryRemove(streamId, out _);

    private void ThrowIfClosed()
    {
        if (_shutdown.IsCancellationRequested)
        {
            throw new YamuxProtocolException("the session to frps is closed", _failure);
        }
    }

    /// <summary>Ends the session: every stream fails with <paramref name="reason"/>, the connection is closed.</summary>
    private void Fail(Exception? reason)
    {
        lock (_streams)
        {
            if (_shutdown.IsCancellationRequested)
            {
                return;
            }
            _failure = reason;
            _shutdown.Cancel();
        }
        foreach (var stream in _streams.Values)
        {
            stream.Abort(new YamuxProtocolException("the session to frps ended", reason));
        }
        _streams.Clear();
        _watchdog?.Dispose();
        _receiveBuffers.Dispose();
        _transport.Dispose();
        if (reason is null)
        {
            _completion.TrySetResult();
        }
        else
        {
            _completion.TrySetException(reason);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_shutdown.IsCancellationRequested)
        {
            try
            {
                // A normal GoAway tells frps we are leaving on purpose (yamux spec: session termination).
                using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await WriteFrameAsync(new YamuxHeader(YamuxHeader.TypeGoAway, YamuxFlags.None, 0, YamuxHeader.GoAwayNormal),
                    ReadOnlyMemory<byte>.Empty, quick.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // Leaving anyway.
            }
        }
        Fail(null);
        foreach (var task in new[] { _reader, _keepAlive })
        {
            if (task is not null)
            {
                await task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
