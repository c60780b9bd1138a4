using Sidecar.Discovery;

namespace Sidecar.Tests.Discovery;

/// <summary>Counts a cache's <see cref="ResourceCache.Changed"/> signals, as the control loop receives them.</summary>
internal sealed class CacheChanges
{
    private int _count;

    public CacheChanges(ResourceCache cache) => cache.Changed += () => Interlocked.Increment(ref _count);

    public int Count => Volatile.Read(ref _count);

    /// <summary>The signals since the last call.</summary>
    public int Take() => Interlocked.Exchange(ref _count, 0);
}
