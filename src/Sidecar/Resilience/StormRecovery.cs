namespace Sidecar.Resilience;

/// <summary>
/// Keeps a storm of connections from becoming the Pod's footprint. While at least <c>stormSize</c> connections
/// are open, <c>duringStorm</c> runs every <c>checkEvery</c> (a collection when the heap has grown past a
/// budget: connections that live a second or two die in the oldest generation, which the GC otherwise lets
/// grow by about the live size before collecting it). Once the number has stayed at or below <c>calmSize</c>
/// for <c>calmFor</c>, <c>giveBack</c> runs once (a full compacting collection, <see cref="HeapCompaction"/>):
/// without it the GC keeps the heap the storm grew committed for reuse.
/// </summary>
internal sealed class StormRecovery : IDisposable
{
    private readonly Func<int> _open;
    private readonly int _stormSize;
    private readonly int _calmSize;
    private readonly TimeSpan _calmFor;
    private readonly TimeSpan _checkEvery;
    private readonly Action _giveBack;
    private readonly Action _duringStorm;
    private readonly ITimer _calm;
    private readonly ITimer _check;
    private int _stormSeen;
    private int _armed;

    /// <param name="open">The number of connections open now.</param>
    /// <param name="stormSize">This many open at once is a storm.</param>
    /// <param name="calmSize">At most this many open counts as calm again.</param>
    /// <param name="calmFor">How long calm must last before the give-back (a storm often comes in waves).</param>
    /// <param name="checkEvery">How often <paramref name="duringStorm"/> runs while the storm lasts.</param>
    /// <param name="timeProvider">Times the calm and the checks.</param>
    /// <param name="giveBack">Runs once per storm after it, on a timer thread.</param>
    /// <param name="duringStorm">Runs periodically during the storm, on a timer thread.</param>
    public StormRecovery(Func<int> open, int stormSize, int calmSize, TimeSpan calmFor, TimeSpan checkEvery, TimeProvider timeProvider,
        Action giveBack, Action duringStorm)
    {
        _open = open;
        _stormSize = stormSize;
        _calmSize = calmSize;
        _calmFor = calmFor;
        _checkEvery = checkEvery;
        _giveBack = giveBack;
        _duringStorm = duringStorm;
        _calm = timeProvider.CreateTimer(static s => ((StormRecovery)s!).CalmElapsed(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _check = timeProvider.CreateTimer(static s => ((StormRecovery)s!).Check(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>A connection was opened; <paramref name="open"/> are open now.</summary>
    public void Opened(int open)
    {
        if (open >= _stormSize && Interlocked.Exchange(ref _stormSeen, 1) == 0)
        {
            _check.Change(_checkEvery, _checkEvery);
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

    private void Check()
    {
        if (Volatile.Read(ref _stormSeen) == 1 && _open() >= _stormSize)
        {
            _duringStorm();
        }
    }

    private void CalmElapsed()
    {
        Volatile.Write(ref _armed, 0);
        if (_open() > _calmSize)
        {
            return; // another wave: the next close below the calm size re-arms
        }
        _check.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Volatile.Write(ref _stormSeen, 0);
        _giveBack();
    }

    public void Dispose()
    {
        _calm.Dispose();
        _check.Dispose();
    }
}
