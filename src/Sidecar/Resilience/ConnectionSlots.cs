namespace Sidecar.Resilience;

/// <summary>
/// A fixed number of connection slots. When all are taken, a new connection evicts the one idle the
/// longest instead of being refused (RFC 7766 §6.2.3 lets a DNS server close idle connections; the same
/// holds for an HTTP server, RFC 9112 §9.5), so a neighbour holding many idle connections only ever
/// displaces its own. Only when every slot is busy answering is the new connection refused.
/// </summary>
/// <remarks>
/// The slots are kept in least-recently-active order (a slot moves to the end when it goes idle), so the
/// idlest is found at the front in constant time: a neighbour churning thousands of connections a second
/// against a full server no longer costs a scan of every slot per new connection.
/// Deadlines are checked by one sweep every <see cref="SweepPeriod"/> while any slot is taken, instead of a
/// timer per connection (a timer and its queue entries cost more than the rest of an idle connection).
/// </remarks>
internal sealed class ConnectionSlots : IDisposable
{
    /// <summary>How often deadlines are checked; a deadline is honoured at most this late.</summary>
    public static readonly TimeSpan SweepPeriod = TimeSpan.FromMilliseconds(250);

    private readonly Lock _lock = new();
    private readonly LinkedList<ConnectionSlot> _taken = new();
    private readonly int _capacity;
    private readonly TimeProvider _timeProvider;
    private readonly ITimer _sweep;

    public ConnectionSlots(int capacity, TimeProvider timeProvider)
    {
        _capacity = capacity;
        _timeProvider = timeProvider;
        _sweep = timeProvider.CreateTimer(static s => ((ConnectionSlots)s!).Sweep(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public int Capacity => _capacity;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _taken.Count;
            }
        }
    }

    /// <summary>Fraction of slots taken, 0 to 1.</summary>
    public double Occupancy => (double)Count / _capacity;

    /// <summary>Takes a slot; when full, evicts the slot idle the longest first.</summary>
    /// <param name="evicted">The slot displaced to make room, already told to close.</param>
    /// <returns>The new slot, or null when full and every slot is busy (refuse the connection).</returns>
    public ConnectionSlot? TryTake(out ConnectionSlot? evicted)
    {
        evicted = null;
        ConnectionSlot taken;
        lock (_lock)
        {
            if (_taken.Count >= _capacity)
            {
                evicted = IdlestLocked();
                if (evicted is null)
                {
                    return null;
                }
                _taken.Remove(evicted.Node);
            }
            taken = new ConnectionSlot(_timeProvider, this);
            _taken.AddLast(taken.Node);
            if (_taken.Count == 1)
            {
                _sweep.Change(SweepPeriod, SweepPeriod);
            }
        }
        // Outside the lock: the victim's continuation may run inline and release its slot.
        evicted?.Evict();
        return taken;
    }

    /// <summary>Tells the slot idle the longest to close, making room without taking a slot (out of descriptors).</summary>
    /// <returns>False when no slot is idle.</returns>
    public bool EvictIdlest()
    {
        ConnectionSlot? evicted = null;
        lock (_lock)
        {
            evicted = IdlestLocked();
            if (evicted is null)
            {
                return false;
            }
            _taken.Remove(evicted.Node);
            if (_taken.Count == 0)
            {
                _sweep.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
        }
        evicted.Evict();
        return true;
    }

    /// <summary>Gives the slot back (a no-op for an evicted slot, whose place is already gone).</summary>
    public void Release(ConnectionSlot slot)
    {
        lock (_lock)
        {
            if (slot.Node.List == _taken)
            {
                _taken.Remove(slot.Node);
            }
            if (_taken.Count == 0)
            {
                _sweep.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan); // idle: no wake-ups
            }
        }
        slot.Dispose();
    }

    /// <summary>Moves a slot that went idle to the end of the order (most recently active).</summary>
    internal void Touch(ConnectionSlot slot)
    {
        lock (_lock)
        {
            if (slot.Node.List == _taken)
            {
                _taken.Remove(slot.Node);
                _taken.AddLast(slot.Node);
            }
        }
    }

    /// <summary>Under the lock: the first slot not busy answering, from the least recently active.</summary>
    private ConnectionSlot? IdlestLocked()
    {
        for (var node = _taken.First; node is not null; node = node.Next)
        {
            if (!node.Value.IsBusy)
            {
                return node.Value;
            }
        }
        return null;
    }

    /// <summary>Tells every slot whose deadline has passed to close.</summary>
    private void Sweep()
    {
        var now = _timeProvider.GetTimestamp();
        List<ConnectionSlot>? expired = null;
        lock (_lock)
        {
            foreach (var slot in _taken)
            {
                if (slot.IsPastDeadline(now))
                {
                    (expired ??= []).Add(slot);
                }
            }
        }
        // Outside the lock: a cancelled connection's continuation may run inline and release its slot.
        foreach (var slot in expired ?? [])
        {
            slot.Expire();
        }
    }

    public void Dispose() => _sweep.Dispose();

    /// <summary>Every slot not busy answering told to close (a graceful stop: busy ones finish first).</summary>
    public void EvictIdle()
    {
        ConnectionSlot[] idle;
        lock (_lock)
        {
            idle = [.. _taken.Where(slot => !slot.IsBusy)];
        }
        foreach (var slot in idle)
        {
            slot.Evict();
        }
    }

    /// <summary>Every slot told to close (shutdown).</summary>
    public void EvictAll()
    {
        ConnectionSlot[] all;
        lock (_lock)
        {
            all = [.. _taken];
        }
        foreach (var slot in all)
        {
            slot.Evict();
        }
    }
}
