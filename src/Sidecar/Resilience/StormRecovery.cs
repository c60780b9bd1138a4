namespace Sidecar.Resilience;

/// <summary>
/// Gives memory back once a storm of connections has passed: when at least <c>stormSize</c> connections were
/// open and their number has stayed at or below <c>calmSize</c> for <c>calmFor</c>, the give-back runs once
/// (a full compacting collection, <see cref="HeapCompaction"/>). Without it the GC keeps the heap the storm
/// grew committed for reuse, and a neighbour's burst becomes the Pod's footprint until the next one.
/// </summary>
internal sealed class StormRecovery : IDisposable
{
    private readonly Func<int> _open;
    private readonly int _stormSize;
    private readonly int _calmSize;
    private readonly TimeSpan _calmFor;
    private readonly Action _giveBack;
    private readonly ITimer _calm;
    private int _stormSeen;
    private int _armed;

    /// <param name="open">The number of connections open now.</param>
    /// <param name="stormSize">This many open at once is a storm worth recovering from.</param>
    /// <param name="calmSize">At most this many open counts as calm again.</param>
    /// <param name="calmFor">How long calm must last before the give-back (a storm often comes in waves).</param>
    /// <param name="timeProvider">Times the calm.</param>
    /// <param name="giveBack">Runs once per storm, on a timer thread.</param>
    public StormRecovery(Func<int> open, int stormSize, int calmSize, TimeSpan calmFor, TimeProvider timeProvider, Action giveBack)
    {
        _open = open;
        _stormSize = stormSize;
        _calmSize = calmSize;
        _calmFor = calmFor;
        _giveBack = giveBack;
        _calm = timeProvider.CreateTimer(static s => ((StormRecovery)s!).CalmElapsed(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>A connection was opened; <paramref name="open"/> are open now.</summary>
    public void Opened(int open)
    {
        if (open >= _stormSize)
        {
            Volatile.Write(ref _stormSeen, 1);
        }
    }

    /// <summary>A connection closed; <paramref name="open"/> are open now.</summary>
    public void Closed(int open)
    {
        if (open <= _calmSize && Volatile.Read(ref _stormSeen) == 1 && Interlocked.Exchange(ref _armed, 1) == 0)
        {
            _calm.Change(_calmFor, Timeout.InfiniteTimeSpan);
        }
    }

    private void CalmElapsed()
    {
        Volatile.Write(ref _armed, 0);
        if (_open() > _calmSize)
        {
            return; // another wave: the next close below the calm size re-arms
        }
        Volatile.Write(ref _stormSeen, 0);
        _giveBack();
    }

    public void Dispose() => _calm.Dispose();
}
