using System.Runtime;

namespace Sidecar.Discovery.Files;

/// <summary>
/// Gives memory back to the system after a large file was read. A read of a few MiB leaves large-object-heap
/// segments that the GC keeps committed for reuse, so RSS stayed at its peak long after the file was
/// replaced by a small one; in a Pod with a memory limit that peak becomes the permanent footprint.
/// </summary>
internal static class HeapCompaction
{
    public static void GiveBackMemory()
    {
        // Large objects are not moved unless asked; Aggressive also decommits the freed space
        // (GCCollectionMode.Aggressive, .NET 7+). A blocking full collection costs a few ms at this heap size,
        // once per large read.
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}
