using System.Collections.Concurrent;

namespace Sidecar.Tests.Discovery.StandIn;

/// <summary>What one client (one bearer token) cost the stand-in API server: requests, events and bytes sent.</summary>
internal sealed class StandInClientStats(string name)
{
    public string Name { get; } = name;

    public long Requests;
    public long Lists;
    /// <summary>Lists with resourceVersion=0 or resourceVersionMatch=NotOlderThan: served from the watch cache.</summary>
    public long CacheLists;
    public long Watches;
    public long Events;
    public long Bookmarks;
    public long BytesSent;

    /// <summary>The timeoutSeconds each watch asked for.</summary>
    public ConcurrentQueue<int> WatchTimeouts { get; } = new();

    public void AddBytes(int count) => Interlocked.Add(ref BytesSent, count);
}
