namespace Sidecar.Resilience;

/// <summary>
/// Keeps the GC's young generation small while allocation only trickles. Its budget (640 KiB, Sidecar.csproj) is
/// sized so that start-up runs no collection; in steady state a watch receiving the operator's status rewrites
/// allocates ~1.5 KB/s (the HTTP and TLS read path), so the budget took ~7 minutes to fill after the compaction that
/// follows a list, page by page, and every page of it stayed resident after its first collection: RSS crept for
/// minutes and then stepped. Here, every <c>checkEvery</c>, when at least <c>capBytes</c> have been allocated since
/// the last young collection and the GC has run none since the previous check, one is induced (generation 0 only,
/// a fraction of a millisecond at this heap size), so the young generation keeps reusing the same few pages. A
/// process allocating faster than the budget per check collects on its own and is left alone.
/// </summary>
internal sealed class YoungGenerationCap : IDisposable
{
    /// <summary>The young generation's resident size in steady state, about: a collection every ~90 s at 1.5 KB/s.</summary>
    public const long DefaultCapBytes = 128 * 1024;

    /// <summary>At the watch's trickle, ~15 KB more than the cap is allocated before a check sees it.</summary>
    public static readonly TimeSpan DefaultCheckEvery = TimeSpan.FromSeconds(10);

    private readonly long _capBytes;
    private readonly Func<long> _allocated;
    private readonly Func<int> _youngCollections;
    private readonly Action _collect;
    private readonly ITimer _timer;
    private readonly Lock _gate = new(); // a check that overran its period must not overlap the next
    private long _allocatedAtCollection;
    private int _collections = -1;

    /// <param name="capBytes">Allocated since the last young collection that makes one due.</param>
    /// <param name="checkEvery">How often the counters are read (on a timer thread).</param>
    /// <param name="timeProvider">Times the checks.</param>
    /// <param name="allocated">Bytes allocated by the process so far; null for the GC's own count.</param>
    /// <param name="youngCollections">Young collections so far (every collection counts); null for the GC's own count.</param>
    /// <param name="collect">Induces a young collection; null for <see cref="GC.Collect(int, GCCollectionMode, bool)"/>.</param>
    public YoungGenerationCap(long capBytes, TimeSpan checkEvery, TimeProvider timeProvider,
        Func<long>? allocated = null, Func<int>? youngCollections = null, Action? collect = null)
    {
        _capBytes = capBytes;
        // Imprecise: the allocation contexts' unused rest is not subtracted, which is within one context's few KB.
        _allocated = allocated ?? (static () => GC.GetTotalAllocatedBytes(precise: false));
        _youngCollections = youngCollections ?? (static () => GC.CollectionCount(0));
        _collect = collect ?? (static () => GC.Collect(0, GCCollectionMode.Forced, blocking: true));
        _timer = timeProvider.CreateTimer(static s => ((YoungGenerationCap)s!).Check(), this, checkEvery, checkEvery);
    }

    /// <summary>Checks every <see cref="DefaultCheckEvery"/> against <see cref="DefaultCapBytes"/>, with the GC's own counters.</summary>
    public static YoungGenerationCap Start(TimeProvider timeProvider) => new(DefaultCapBytes, DefaultCheckEvery, timeProvider);

    public void Dispose() => _timer.Dispose();

    private void Check()
    {
        lock (_gate)
        {
            CheckLocked();
        }
    }

    private void CheckLocked()
    {
        var collections = _youngCollections();
        var allocated = _allocated();
        if (collections != _collections)
        {
            // The GC collected since the last check (or this is the first): count from here, which errs on
            // the side of collecting later, never sooner.
            _collections = collections;
            _allocatedAtCollection = allocated;
            return;
        }
        if (allocated - _allocatedAtCollection >= _capBytes)
        {
            _collect();
            _collections = _youngCollections();
            _allocatedAtCollection = _allocated();
        }
    }
}
