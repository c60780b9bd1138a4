using System.Net;
using Microsoft.Extensions.Logging;
using Sidecar.Addressing;
using Sidecar.Dns;
using Sidecar.Endpoints;
using Sidecar.Tunnels;

namespace Sidecar.ControlLoop.Reconciling;

/// <summary>
/// Makes addresses, tunnels and DNS equal to the desired endpoints. Removals first (DNS, tunnel, address),
/// then additions (address, tunnel, DNS), so a new name is never answered before its tunnel was started
/// (with <c>waitForTunnel</c>: before it listens) and a removed name never after its last tunnel closed.
/// A changed endpoint (another server, secret or port) keeps its address and its name stays published
/// while its tunnel is closed and reopened on that address: for that moment connections are refused,
/// where withdrawing the name would have resolvers cache NXDOMAIN for the TTL (RFC 2308 §5).
/// The reconciler alone decides when the name set changed; the publisher is called only then.
/// Single caller; not thread-safe.
/// </summary>
internal sealed partial class Reconciler(
    AddressAllocator allocator, ITunnelDriver driver, INamePublisher publisher, bool waitForTunnel, ILogger<Reconciler> logger,
    TimeProvider? timeProvider = null, MappingBoard? board = null)
{
    private readonly Dictionary<EndpointKey, Tunnel> _current = [];
    /// <summary>When each current tunnel was opened, for the <see cref="MappingBoard"/>.</summary>
    private readonly Dictionary<EndpointKey, DateTimeOffset> _since = [];
    /// <summary>Names the range had no room for; retried only once an address is freed, so the error is not repeated each pass.</summary>
    private readonly HashSet<string> _unplaced = new(StringComparer.Ordinal);
    private Dictionary<string, IPAddress> _published = new(StringComparer.Ordinal);
    /// <summary>
    /// Names with tunnels still starting: <see cref="ApplyAsync"/> publishes them on a later call, once their
    /// tunnels listen (the driver's <see cref="ITunnelDriver.TunnelListening"/> asks the loop for that pass).
    /// </summary>
    private bool _pendingNames;

    /// <summary>How many names DNS answers now.</summary>
    public int PublishedCount => _published.Count;

    public async ValueTask<ReconcileResult> ApplyAsync(IReadOnlyDictionary<EndpointKey, Endpoint> desired, CancellationToken cancellationToken)
    {
        var removed = new List<Tunnel>();
        var changed = new List<(Tunnel Old, Endpoint New)>();
        foreach (var (key, tunnel) in _current)
        {
            if (!desired.TryGetValue(key, out var endpoint))
            {
                removed.Add(tunnel);
            }
            else if (!endpoint.Equals(tunnel.Endpoint))
            {
                changed.Add((tunnel, endpoint));
            }
        }
        if (_unplaced.Count > 0)
        {
            // Forget services that are no longer wanted, so they start afresh if they come back.
            var wanted = desired.Values.Select(e => e.Service).ToHashSet(StringComparer.Ordinal);
            _unplaced.RemoveWhere(s => !wanted.Contains(s));
        }
        var added = new List<Endpoint>();
        foreach (var (key, endpoint) in desired)
        {
            if (!_current.ContainsKey(key) && !_unplaced.Contains(endpoint.Service))
            {
                added.Add(endpoint);
            }
        }
        if (removed.Count + changed.Count + added.Count == 0 && !_pendingNames)
        {
            return default; // e.g. frps rewrote its counters: nothing we use changed
        }

        // Removals: unpublish names that lose their last endpoint, close tunnels, free addresses.
        foreach (var tunnel in removed)
        {
            _current.Remove(tunnel.Endpoint.Key);
            LogMapping(tunnel, added: false);
        }
        var published = PublishIfChanged(includeStarting: false);
        var toClose = removed.Concat(changed.Select(c => c.Old)).ToList();
        if (toClose.Count > 0)
        {
            await CallDriverAsync(toClose, open: false, cancellationToken).ConfigureAwait(false);
        }
        var releasedAny = false;
        var remaining = _current.Values.Select(t => t.Endpoint.Service).ToHashSet(StringComparer.Ordinal);
        foreach (var service in removed.Select(t => t.Endpoint.Service).Distinct())
        {
            if (!remaining.Contains(service))
            {
                releasedAny |= allocator.Release(service);
            }
        }
        if (releasedAny && _unplaced.Count > 0)
        {
            // Room was freed: try the services that did not fit last time.
            added.AddRange(desired.Values.Where(e => _unplaced.Contains(e.Service) && !_current.ContainsKey(e.Key)));
            _unplaced.Clear();
        }

        // Additions: address, tunnel, then DNS. A changed endpoint keeps its service's address.
        var toOpen = new List<Tunnel>();
        foreach (var (old, endpoint) in changed)
        {
            toOpen.Add(new Tunnel(endpoint, old.LocalAddress));
            LogChanged(old.Endpoint.ToString(), endpoint.ToString());
        }
        var unplaced = 0;
        foreach (var endpoint in added)
        {
            if (allocator.TryAllocate(endpoint.Service, out var address))
            {
                var tunnel = new Tunnel(endpoint, address);
                toOpen.Add(tunnel);
                LogMapping(tunnel, added: true);
            }
            else
            {
                _unplaced.Add(endpoint.Service);
                unplaced++;
            }
        }
        var now = (timeProvider ?? TimeProvider.System).GetUtcNow();
        foreach (var tunnel in toOpen)
        {
            _current[tunnel.Endpoint.Key] = tunnel;
            _since[tunnel.Endpoint.Key] = now;
        }
        foreach (var tunnel in removed)
        {
            _since.Remove(tunnel.Endpoint.Key);
        }
        if (toOpen.Count > 0)
        {
            await CallDriverAsync(toOpen, open: true, cancellationToken).ConfigureAwait(false);
        }
        published |= PublishIfChanged(includeStarting: !waitForTunnel);

        var result = new ReconcileResult(added.Count - unplaced, removed.Count, changed.Count, unplaced, published);
        PostToBoard();
        if (result.Added + result.Removed + result.Changed > 0)
        {
            LogReconciled(result.Added, result.Removed, result.Changed, _published.Count);
        }
        return result;
    }

    /// <summary>Publishes the names whose tunnels can take connections (or all, if not waiting for tunnels).</summary>
    private bool PublishIfChanged(bool includeStarting)
    {
        var names = new Dictionary<string, IPAddress>(StringComparer.Ordinal);
        var pending = false;
        foreach (var tunnel in _current.Values)
        {
            var service = tunnel.Endpoint.Service;
            if (names.ContainsKey(service))
            {
                continue;
            }
            var ready = includeStarting || driver.GetState(tunnel) == TunnelState.Listening
                || _published.ContainsKey(service); // a name stays published while its tunnel is replaced
            if (ready)
            {
                names[service] = tunnel.LocalAddress;
            }
            else
            {
                pending = true;
            }
        }
        _pendingNames = pending;
        if (names.Count == _published.Count && names.All(n => _published.TryGetValue(n.Key, out var a) && a.Equals(n.Value)))
        {
            return false;
        }
        publisher.Publish([.. names.Select(n => new DnsMapping(n.Key, n.Value))]);
        foreach (var (name, address) in names)
        {
            if (!_published.TryGetValue(name, out var before) || !before.Equals(address))
            {
                LogNamePublished(name, address.ToString());
            }
        }
        foreach (var name in _published.Keys.Where(n => !names.ContainsKey(n)))
        {
            LogNameWithdrawn(name);
        }
        _published = names;
        return true;
    }

    private async ValueTask CallDriverAsync(List<Tunnel> tunnels, bool open, CancellationToken cancellationToken)
    {
        try
        {
            if (open)
            {
                await driver.OpenAsync(tunnels, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await driver.CloseAsync(tunnels, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The driver promises not to throw for one tunnel; if it throws anyway, keep reconciling the rest.
            LogDriverFailed(open ? "open" : "close", tunnels.Count, e);
        }
    }

    private void PostToBoard() =>
        board?.Post([.. _current.Values.Select(t => new MappedTunnel(t, _since.GetValueOrDefault(t.Endpoint.Key), _published.ContainsKey(t.Endpoint.Service)))]);
}
