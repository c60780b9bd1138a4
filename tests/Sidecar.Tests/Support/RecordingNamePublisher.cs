using Sidecar.Dns;

namespace Sidecar.Tests.Support;

/// <summary>Test double for the DNS server: keeps the current table and appends each publish to a shared journal.</summary>
internal sealed class RecordingNamePublisher(List<string>? journal = null) : INamePublisher
{
    private volatile IReadOnlyDictionary<string, System.Net.IPAddress> _table = new Dictionary<string, System.Net.IPAddress>();

    public List<string> Journal { get; } = journal ?? [];
    public int PublishCount;

    public IReadOnlyDictionary<string, System.Net.IPAddress> Table => _table;

    /// <summary>Raised after each publish, with the time it happened (for the convergence benchmark).</summary>
    public event Action<IReadOnlyDictionary<string, System.Net.IPAddress>>? Published;

    public void Publish(IReadOnlyCollection<DnsMapping> mappings)
    {
        var table = mappings.ToDictionary(m => m.Name, m => m.Address);
        _table = table;
        Interlocked.Increment(ref PublishCount);
        lock (Journal)
        {
            Journal.Add($"publish {string.Join(",", mappings.Select(m => m.Name).Order(StringComparer.Ordinal))}");
        }
        Published?.Invoke(table);
    }
}
