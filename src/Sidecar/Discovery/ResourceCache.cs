using Sidecar.Discovery.Model;

namespace Sidecar.Discovery;

/// <summary>
/// The known resources by name, written by one or more sources (one per partition, e.g. per watched name)
/// and read by the reconcile loop. A write that changes something the endpoint rules read raises
/// <see cref="Changed"/> (the loop coalesces, so a burst of events costs one reconcile); a write that
/// changes nothing we use (frps's status rewrite: counters, times) keeps the stored object and signals nothing.
/// A watch source may keep, with an object it decoded cleanly, that version's used-fields digest
/// (<see cref="Model.UsedFieldsDigest"/>), so that the next rewrite is recognised before it is decoded
/// (<see cref="HoldsUnchanged"/>). The digest lives and dies with the entry: any write without one (a list, a file,
/// an unreadable update, another partition's write) drops it, and so does removal.
/// </summary>
internal sealed class ResourceCache(int partitions = 1)
{
    private int _partitions = partitions;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _items = new(StringComparer.Ordinal);
    private readonly HashSet<int> _synced = [];
    private readonly TaskCompletionSource _allSynced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes after the first successful full read of every partition.</summary>
    public Task Synced => _allSynced.Task;

    /// <summary>Where the resources come from (the source's description), for logs.</summary>
    public string Origin { get; set; } = "";

    /// <summary>Set by the component that runs the source, before the source's first write.</summary>
    public void ExpectPartitions(int count) => _partitions = count;

    /// <summary>Raised after a write changed what the endpoint rules read (and after a partition's first read, even an empty one).</summary>
    public event Action? Changed;

    /// <summary>Raised after each successful full read (list or file), for metrics.</summary>
    public event Action? FullReadSucceeded;

    /// <summary>Raised when a source failed to read (list, watch, file); the cache is untouched.</summary>
    public event Action? ReadFailed;

    public void ReportFailure() => ReadFailed?.Invoke();

    /// <summary>A full read (list, file) of one partition: everything of that partition not in it is gone.</summary>
    public void Replace(IReadOnlyList<FrpServer> servers, int partition = 0)
    {
        bool changed;
        lock (_gate)
        {
            changed = _synced.Add(partition); // the first read is news even when empty
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < servers.Count; i++)
            {
                var server = servers[i];
                // An unnamed item still gets a slot so its warning is seen.
                var name = string.IsNullOrEmpty(server.Name) ? $"(unnamed item {i})" : server.Name;
                seen.Add(name);
                changed |= Store(name, server, partition, default);
            }
            foreach (var (name, item) in _items)
            {
                if (item.Partition == partition && !seen.Contains(name))
                {
                    _items.Remove(name);
                    changed = true;
                }
            }
            if (_synced.Count >= _partitions)
            {
                _allSynced.TrySetResult();
            }
        }
        if (changed)
        {
            Changed?.Invoke();
        }
        FullReadSucceeded?.Invoke();
    }

    /// <param name="server">The decoded version.</param>
    /// <param name="partition">The source's partition.</param>
    /// <param name="digest">Its used-fields digest, when the source made one; copied.</param>
    public void Upsert(FrpServer server, int partition = 0, ReadOnlySpan<byte> digest = default)
    {
        bool changed;
        lock (_gate)
        {
            changed = Store(server.Name, server, partition, digest);
        }
        if (changed)
        {
            Changed?.Invoke();
        }
    }

    public void Remove(string name)
    {
        bool changed;
        lock (_gate)
        {
            changed = _items.Remove(name);
        }
        if (changed)
        {
            Changed?.Invoke();
        }
    }

    /// <summary>
    /// Whether the entry <paramref name="name"/> was last written by <paramref name="partition"/> with exactly this
    /// used-fields digest: then a version with this digest would change nothing (<see cref="Merge"/> keeps the entry).
    /// Looked up by span: asking allocates nothing.
    /// </summary>
    public bool HoldsUnchanged(ReadOnlySpan<char> name, int partition, ReadOnlySpan<byte> digest)
    {
        lock (_gate)
        {
            return _items.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var item)
                && item.Partition == partition && item.Digest is { } kept && kept.AsSpan().SequenceEqual(digest);
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    public IReadOnlyCollection<FrpServer> Snapshot()
    {
        lock (_gate)
        {
            var snapshot = new FrpServer[_items.Count];
            var i = 0;
            foreach (var item in _items.Values)
            {
                snapshot[i++] = item.Server;
            }
            return snapshot;
        }
    }

    /// <returns>Whether the stored object changed in a field the endpoint rules read.</returns>
    private bool Store(string name, FrpServer incoming, int partition, ReadOnlySpan<byte> digest)
    {
        var old = _items.TryGetValue(name, out var item) ? item.Server : null;
        var merged = Merge(old, incoming);
        // A clean version's digest also stands for the entry Merge kept: that one is used-equal to it.
        var kept = incoming.ParseError is null && !digest.IsEmpty ? Copy(digest, item.Partition == partition ? item.Digest : null) : null;
        if (ReferenceEquals(merged, old) && item.Partition == partition && ReferenceEquals(kept, item.Digest))
        {
            return false;
        }
        _items[name] = new Entry(merged, partition, kept);
        return !ReferenceEquals(merged, old);
    }

    /// <summary>Into the entry's own array when it fits: a changed rewrite of the same shape allocates nothing.</summary>
    private static byte[] Copy(ReadOnlySpan<byte> digest, byte[]? reuse)
    {
        var target = reuse?.Length == digest.Length ? reuse : new byte[digest.Length];
        digest.CopyTo(target);
        return target;
    }

    /// <summary>
    /// Keeps the old object when nothing we use changed (a rewrite of counters and times), by content, not by
    /// resourceVersion: a file's writer may edit content and keep the version. So
    /// per-resource work is reused and the new copy is garbage at once; keeps the last readable version
    /// behind a malformed update.
    /// </summary>
    private static FrpServer Merge(FrpServer? old, FrpServer incoming)
    {
        if (old is null)
        {
            return incoming;
        }
        if (incoming.ParseError is not null)
        {
            if (old.ParseError == incoming.ParseError && old.Name == incoming.Name)
            {
                return old; // the same problem again: nothing new to warn about or reconcile
            }
            var lastGood = old.ParseError is null ? old : old.LastGood;
            return lastGood is null ? incoming : new FrpServer { Metadata = incoming.Metadata, ParseError = incoming.ParseError, LastGood = lastGood };
        }
        return UsedFields.Equal(old, incoming) ? old : incoming;
    }

    /// <param name="Digest">The used-fields digest of a clean version equal in what we use to <paramref name="Server"/>; null when unknown.</param>
    private readonly record struct Entry(FrpServer Server, int Partition, byte[]? Digest);
}
