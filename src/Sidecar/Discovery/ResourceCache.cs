using System.Threading.Channels;
using Sidecar.Discovery.Model;

namespace Sidecar.Discovery;

/// <summary>
/// The known resources by name, written by one source and read by the reconcile loop. Each write raises a
/// coalescing change signal, so a burst of events costs one reconcile.
/// </summary>
internal sealed class ResourceCache
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, FrpServer> _items = new(StringComparer.Ordinal);
    private readonly Channel<bool> _changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes after the first successful full read.</summary>
    public Task Synced => _synced.Task;

    /// <summary>Where the resources come from (the source's description), for logs.</summary>
    public string Origin { get; set; } = "";

    public ChannelReader<bool> Changes => _changes.Reader;

    /// <summary>Raised after each successful full read (list or file), for metrics.</summary>
    public event Action? FullReadSucceeded;

    /// <summary>Raised when a source failed to read (list, watch, file); the cache is untouched.</summary>
    public event Action? ReadFailed;

    public void ReportFailure() => ReadFailed?.Invoke();

    /// <summary>A full read (list, file): everything not in it is gone.</summary>
    /// <param name="sameVersionIsSameContent">
    /// True for the API server, which gives every change a new resourceVersion; false for a file, whose
    /// writer edits content and keeps the resourceVersion (hand edits, copies of <c>kubectl get -o yaml</c>).
    /// </param>
    public void Replace(IReadOnlyList<FrpServer> servers, bool sameVersionIsSameContent = true)
    {
        lock (_gate)
        {
            var previous = new Dictionary<string, FrpServer>(_items, StringComparer.Ordinal);
            _items.Clear();
            for (var i = 0; i < servers.Count; i++)
            {
                var server = servers[i];
                // An unnamed item still gets a slot so its warning is seen.
                var name = string.IsNullOrEmpty(server.Name) ? $"(unnamed item {i})" : server.Name;
                _items[name] = Merge(previous.GetValueOrDefault(name), server, sameVersionIsSameContent);
            }
        }
        _synced.TrySetResult();
        _changes.Writer.TryWrite(true);
        FullReadSucceeded?.Invoke();
    }

    public void Upsert(FrpServer server)
    {
        lock (_gate)
        {
            _items[server.Name] = Merge(_items.GetValueOrDefault(server.Name), server, sameVersionIsSameContent: true);
        }
        _changes.Writer.TryWrite(true);
    }

    public void Remove(string name)
    {
        lock (_gate)
        {
            _items.Remove(name);
        }
        _changes.Writer.TryWrite(true);
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
            return [.. _items.Values];
        }
    }

    /// <summary>
    /// Keeps the old object when nothing changed (same uid and resourceVersion, where versions are reliable), so
    /// per-resource work is reused; keeps the last readable version behind a malformed update.
    /// </summary>
    private static FrpServer Merge(FrpServer? old, FrpServer incoming, bool sameVersionIsSameContent)
    {
        if (old is null)
        {
            return incoming;
        }
        if (incoming.ParseError is not null)
        {
            var lastGood = old.ParseError is null ? old : old.LastGood;
            return lastGood is null ? incoming : new FrpServer { Metadata = incoming.Metadata, ParseError = incoming.ParseError, LastGood = lastGood };
        }
        var rv = incoming.Metadata?.ResourceVersion;
        return sameVersionIsSameContent && old.ParseError is null && !string.IsNullOrEmpty(rv) && rv == old.Metadata?.ResourceVersion
            && incoming.Metadata?.Uid == old.Metadata?.Uid ? old : incoming;
    }
}
