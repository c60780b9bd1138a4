namespace Sidecar.Resilience;

/// <summary>
/// One connection's place in <see cref="ConnectionSlots"/>: when it was last active, whether it is busy
/// answering, its deadline, and a token that fires when it must close (the deadline passed, or it was evicted).
/// The deadline is a number checked by the slots' sweep, not a timer per connection: thousands of idle
/// connections then cost no timer objects.
/// </summary>
internal sealed class ConnectionSlot : IDisposable
{
    private const long NoDeadline = long.MaxValue;
    private readonly CancellationTokenSource _closing = new();
    private readonly TimeProvider _timeProvider;
    private readonly ConnectionSlots? _owner;
    private long _deadline = NoDeadline;
    private long _lastActive;
    private int _busy;
    private int _evicted;

    public ConnectionSlot(TimeProvider timeProvider, ConnectionSlots? owner = null)
    {
        _timeProvider = timeProvider;
        _owner = owner;
        _lastActive = timeProvider.GetTimestamp();
        Node = new LinkedListNode<ConnectionSlot>(this);
    }

    /// <summary>This slot's place in its owner's least-recently-active order.</summary>
    internal LinkedListNode<ConnectionSlot> Node { get; }

    /// <summary>Cancelled when the deadline passes or the slot is evicted.</summary>
    public CancellationToken Closing => _closing.Token;

    public bool WasEvicted => Volatile.Read(ref _evicted) == 1;

    /// <summary>True when <see cref="Closing"/> fired because the deadline passed (not eviction).</summary>
    public bool TimedOut => _closing.IsCancellationRequested && !WasEvicted;

    public long LastActive => Interlocked.Read(ref _lastActive);

    public bool IsBusy => Volatile.Read(ref _busy) == 1;

    /// <summary>
    /// (Re)starts the deadline: the connection closes unless it is active again within <paramref name="timeout"/>
    /// (checked every <see cref="ConnectionSlots.SweepPeriod"/>, so it may close up to that much later).
    /// </summary>
    public void CloseAfter(TimeSpan timeout) =>
        Interlocked.Exchange(ref _deadline, _timeProvider.GetTimestamp() + (long)(timeout.TotalSeconds * _timeProvider.TimestampFrequency));

    /// <summary>A request is being answered: not evictable until <see cref="Idle"/>.</summary>
    public void Busy() => Volatile.Write(ref _busy, 1);

    /// <summary>An answer went out: idle again from now.</summary>
    public void Idle()
    {
        Interlocked.Exchange(ref _lastActive, _timeProvider.GetTimestamp());
        Volatile.Write(ref _busy, 0);
        _owner?.Touch(this);
    }

    internal bool IsPastDeadline(long now) => Interlocked.Read(ref _deadline) <= now;

    internal void Evict()
    {
        Volatile.Write(ref _evicted, 1);
        Cancel();
    }

    /// <summary>The deadline passed.</summary>
    internal void Expire() => Cancel();

    private void Cancel()
    {
        try
        {
            _closing.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The connection ended on its own at the same moment.
        }
    }

    public void Dispose() => _closing.Dispose();
}
