namespace Sidecar.Resilience;

/// <summary>
/// A fixed number of connection slots. When all are taken, a new connection evicts the one idle the
/// longest instead of being refused (RFC 7766 §6.2.3 lets a DNS server close idle connections; the same
/// holds for an HTTP server, RFC 9112 §9.5), so a neighbour holding many idle connections only ever
/// displaces its own. Only when every slot is busy answering is the new connection refused.
/// </summary>
internal sealed class ConnectionSlots(int capacity, TimeProvider timeProvider)
{
    private readonly Lock _lock = new();
    private readonly HashSet<ConnectionSlot> _taken = [];

    public int Capacity => capacity;

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
    public double Occupancy => (double)Count / capacity;

    /// <summary>Takes a slot; when full, evicts the slot idle the longest first.</summary>
    /// <param name="evicted">The slot displaced to make room, already told to close.</param>
    /// <returns>The new slot, or null when full and every slot is busy (refuse the connection).</returns>
    public ConnectionSlot? TryTake(out ConnectionSlot? evicted)
    {
        evicted = null;
        ConnectionSlot taken;
        lock (_lock)
        {
            if (_taken.Count >= capacity)
            {
                foreach (var slot in _taken)
                {
                    if (!slot.IsBusy && (evicted is null || slot.LastActive < evicted.LastActive))
                    {
                        evicted = slot;
                    }
                }
                if (evicted is null)
                {
                    return null;
                }
                _taken.Remove(evicted);
            }
            taken = new ConnectionSlot(timeProvider);
            _taken.Add(taken);
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
            foreach (var slot in _taken)
            {
                if (!slot.IsBusy && (evicted is null || slot.LastActive < evicted.LastActive))
                {
                    evicted = slot;
                }
            }
            if (evicted is null)
            {
                return false;
            }
            _taken.Remove(evicted);
        }
        evicted.Evict();
        return true;
    }

    /// <summary>Gives the slot back (a no-op for an evicted slot, whose place is already gone).</summary>
    public void Release(ConnectionSlot slot)
    {
        lock (_lock)
        {
            _taken.Remove(slot);
        }
        slot.Dispose();
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
