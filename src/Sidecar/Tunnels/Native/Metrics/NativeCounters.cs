namespace Sidecar.Tunnels.Native.Metrics;

/// <summary>
/// The native engine's counters, one <see cref="FrpServerCounters"/> per FRPServer resource with a session
/// now. A server's set lives while a session uses it (sessions of the same resource share it), so the map
/// is bounded by the servers in use, not by every server ever seen; its counters restart from zero if the
/// server comes back, which Prometheus' rate() treats as a reset.
/// </summary>
internal sealed class NativeCounters
{
    private readonly Dictionary<string, FrpServerCounters> _servers = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <param name="resource">The FRPServer resource name, the metrics' <c>server</c> label.</param>
    public FrpServerCounters Acquire(string resource)
    {
        lock (_lock)
        {
            if (!_servers.TryGetValue(resource, out var counters))
            {
                counters = new FrpServerCounters();
                _servers[resource] = counters;
            }
            counters.Users++;
            return counters;
        }
    }

    public void Release(string resource)
    {
        lock (_lock)
        {
            if (_servers.TryGetValue(resource, out var counters) && --counters.Users <= 0)
            {
                _servers.Remove(resource);
            }
        }
    }

    /// <summary>A snapshot of the servers in use, ordered by name, for one scrape.</summary>
    public IReadOnlyList<(string Server, FrpServerCounters Counters)> Servers()
    {
        lock (_lock)
        {
            return [.. _servers.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value))];
        }
    }
}
