using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Sidecar.Resilience;

/// <summary>
/// The accept side of a bounded TCP server (DNS over TCP, the admin endpoint): a listener with a deep backlog,
/// one async loop that accepts eagerly, at most a fixed number of connections where a new one evicts the one
/// idle the longest (<see cref="ConnectionSlots"/>), one throttled summary line, and memory given back after
/// a storm. Each connection is served by the owner's callback, off the accept loop.
/// </summary>
/// <remarks>
/// Why accept eagerly and hold many: Linux drops a SYN while the listen queue is full, and the client retries
/// only after its initial retransmission timeout of 1 s (RFC 6298 §2.1). A neighbour that reopens every closed
/// connection keeps the queue full whenever it holds more connections than the server holds plus the backlog,
/// so a probe's or resolver's SYN waited a second or more (seen: 7,300 dropped SYNs in 20 s against 64 slots
/// and a backlog of 512). An idle connection costs only a socket and a pending receive here (owners rent
/// buffers once bytes arrive), so holding thousands is cheaper than letting the queue fill, as nginx
/// (worker_connections) and Envoy do; eviction starts only at the cap.
/// </remarks>
internal sealed class BoundedAcceptLoop : IAsyncDisposable
{
    /// <summary>The listen backlog asked for; the kernel caps it at net.core.somaxconn (4096 since Linux 5.4).</summary>
    public const int Backlog = 4096;
    /// <summary>At least this many open connections is a storm after which memory is given back.</summary>
    public const int StormSize = 256;
    /// <summary>How long at most a handful of connections must last before the give-back.</summary>
    public static readonly TimeSpan CalmFor = TimeSpan.FromSeconds(2);
    /// <summary>
    /// During a storm, the heap is checked this often against <see cref="StormHeapBudget"/>: at 1 s the admin
    /// storm peaked at 63–65 MiB on an idle machine, at 500 ms 59–62 MiB (bench/hostile/admin.sh).
    /// </summary>
    public static readonly TimeSpan StormCheckEvery = TimeSpan.FromMilliseconds(500);
    /// <summary>
    /// Managed heap in use beyond which a storm triggers a collection: about the live size of a full admin
    /// endpoint (8,192 × ~2.5 KB) plus the idle heap. Without it, connections that live a second or two
    /// die in the oldest generation and the GC let the heap grow by roughly its live size again (RSS 78 MiB,
    /// measured, against the Pod example's 64 MiB limit).
    /// </summary>
    public const long StormHeapBudget = 24 * 1024 * 1024;
    /// <summary>Out of descriptors with nothing to evict: wait this long instead of spinning on accept.</summary>
    private static readonly TimeSpan DescriptorWait = TimeSpan.FromMilliseconds(50);

    private readonly Socket _listener;
    private readonly ConnectionSlots _slots;
    private readonly IConnectionCounters _counters;
    private readonly AcceptLoopEvents _events;
    private readonly Func<Socket, ConnectionSlot, Task> _serve;
    private readonly TimeProvider _timeProvider;
    private readonly ThrottledReport _pressure;
    private readonly StormRecovery _recovery;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<ConnectionSlot, Task> _connections = new();
    private (long Evicted, long Refused, long TimedOut) _reported;
    private Task _acceptLoop = Task.CompletedTask;

    /// <param name="address">Where to listen; [::] also serves IPv4 when <paramref name="dualStack"/>.</param>
    /// <param name="maxConnections">Connections held at once; beyond, the idlest is evicted.</param>
    /// <param name="serve">Serves one connection until it ends; stop when the slot's <see cref="ConnectionSlot.Closing"/>
    /// fires (deadline, eviction or shutdown). The loop disposes the socket and frees the slot afterwards.</param>
    /// <param name="giveBackMemory">Runs after a storm has passed; null for <see cref="HeapCompaction.GiveBackMemory"/>.</param>
    /// <param name="duringStorm">Runs every <see cref="StormCheckEvery"/> while a storm lasts; null for
    /// <see cref="HeapCompaction.CollectIfOver"/> with <see cref="StormHeapBudget"/>.</param>
    public BoundedAcceptLoop(IPEndPoint address, bool dualStack, int maxConnections, TimeSpan pressureReportInterval,
        IConnectionCounters counters, AcceptLoopEvents events, Func<Socket, ConnectionSlot, Task> serve, TimeProvider timeProvider,
        Action? giveBackMemory = null, Action? duringStorm = null)
    {
        _counters = counters;
        _events = events;
        _serve = serve;
        _timeProvider = timeProvider;
        _slots = new ConnectionSlots(maxConnections, timeProvider);
        _pressure = new ThrottledReport(pressureReportInterval, timeProvider, ReportPressure);
        _recovery = new StormRecovery(() => _slots.Count, Math.Min(StormSize, maxConnections), calmSize: 8, CalmFor, StormCheckEvery,
            timeProvider, giveBackMemory ?? HeapCompaction.GiveBackMemory, duringStorm ?? (() => HeapCompaction.CollectIfOver(StormHeapBudget)));
        _listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (dualStack && address.Address.Equals(IPAddress.IPv6Any))
            {
                _listener.DualMode = true;
            }
            _listener.Bind(address);
            _listener.Listen(Backlog);
        }
        catch
        {
            _listener.Dispose();
            _pressure.Dispose();
            _recovery.Dispose();
            _slots.Dispose();
            throw;
        }
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>Fraction of connection slots taken, 0 to 1.</summary>
    public double Occupancy => _slots.Occupancy;

    public void Start() => _acceptLoop = AcceptLoopAsync(_stopping.Token);

    /// <summary>Started and not stopped: new connections are being accepted (a readiness check).</summary>
    public bool IsAccepting => _acceptLoop != Task.CompletedTask && !_acceptLoop.IsCompleted && !_stopping.IsCancellationRequested;

    private async Task AcceptLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                // Completes synchronously while connections are queued, so a burst is drained in one go.
                client = await _listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (stopping.IsCancellationRequested && e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TooManyOpenSockets)
            {
                // EMFILE/ENFILE: the connection stays queued and accept would fail again at once (a loop spinning
                // a core). Our idlest connection makes room; with none, wait a moment.
                _events.AcceptFailed(e.SocketErrorCode);
                if (_slots.EvictIdlest())
                {
                    _counters.Evicted.Increment();
                    _pressure.Signal();
                }
                else if (!await WaitAsync(DescriptorWait, stopping).ConfigureAwait(false))
                {
                    return;
                }
                continue;
            }
            catch (SocketException e)
            {
                _events.AcceptFailed(e.SocketErrorCode); // e.g. a connection reset before accept: keep accepting
                continue;
            }
            Admit(client);
        }
    }

    private void Admit(Socket client)
    {
        var slot = _slots.TryTake(out var evicted);
        if (evicted is not null)
        {
            _counters.Evicted.Increment();
            _pressure.Signal();
        }
        if (slot is null)
        {
            _counters.Refused.Increment();
            _pressure.Signal();
            client.Dispose();
            return;
        }
        _counters.Open.Increment();
        _recovery.Opened(_slots.Count);
        _connections[slot] = RunAsync(client, slot);
    }

    private async Task RunAsync(Socket client, ConnectionSlot slot)
    {
        await Task.Yield(); // off the accept loop
        try
        {
            await _serve(client, slot).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (slot.Closing.IsCancellationRequested)
        {
            // Deadline, eviction or shutdown (shutdown evicts every slot): closing is the answer.
            if (slot.TimedOut)
            {
                _counters.TimedOut.Increment();
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            _events.ConnectionFailed(e.Message);
        }
        finally
        {
            client.Dispose();
            _slots.Release(slot);
            _counters.Open.Decrement();
            _connections.TryRemove(slot, out _);
            _recovery.Closed(_slots.Count);
        }
    }

    private async Task<bool> WaitAsync(TimeSpan delay, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(delay, _timeProvider, stopping).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>One line per interval: what pressure did since the last line.</summary>
    private void ReportPressure()
    {
        var now = (_counters.Evicted.Value, _counters.Refused.Value, _counters.TimedOut.Value);
        var (evicted, refused, timedOut) = (now.Item1 - _reported.Evicted, now.Item2 - _reported.Refused, now.Item3 - _reported.TimedOut);
        _reported = now;
        _events.Pressure(evicted, refused, timedOut);
    }

    /// <summary>
    /// A graceful stop: no new connections, idle ones closed now, and up to <paramref name="grace"/> for those
    /// answering a request to finish (their owner should not keep them open afterwards). Dispose afterwards
    /// closes whatever is left.
    /// </summary>
    public async Task DrainAsync(TimeSpan grace)
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }
        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        _slots.EvictIdle();
        try
        {
            await Task.WhenAll(_connections.Values).WaitAsync(grace, _timeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Still answering after the grace: DisposeAsync closes them.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }
        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        _slots.EvictAll();
        await Task.WhenAll(_connections.Values).ConfigureAwait(false);
        _pressure.Dispose();
        _recovery.Dispose();
        _slots.Dispose();
    }
}
