using System.Runtime;

namespace Sidecar.Resilience;

/// <summary>
/// Gives memory back to the system after a burst of allocation: a large file read leaves large-object-heap
/// segments, a storm of connections leaves regions of small objects, and the GC keeps both committed for
/// reuse, so RSS stayed at its peak long after the burst; in a Pod with a memory limit that peak becomes
/// the permanent footprint.
/// </summary>
internal static class HeapCompaction
{
    public static void GiveBackMemory()
    {
        // Large objects are not moved unless asked; Aggressive also decommits the freed space
        // (GCCollectionMode.Aggressive, .NET 7+). A blocking full collection costs a few ms at this heap size,
        // once per large read or storm.
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    /// <summary>
    /// During a storm: a full, non-compacting collection when the managed heap in use has passed
    /// <paramref name="budget"/>, so objects that lived a second or two and died in the oldest generation are
    /// reclaimed for reuse before the heap grows further. Blocking (a pause of a few ms at this heap size, at
    /// most once per check): a background collection could not keep up with a fast neighbour (70 MiB peak RSS
    /// measured, against 58 MiB blocking).
    /// </summary>
    public static void CollectIfOver(long budget)
    {
        if (GC.GetTotalMemory(forceFullCollection: false) > budget)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
        }
    }
}
