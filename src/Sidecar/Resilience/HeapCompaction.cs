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
}
