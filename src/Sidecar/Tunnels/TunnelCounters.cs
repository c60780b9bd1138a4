using System.Collections.Concurrent;
using Sidecar.Observability;
using Sidecar.Tunnels.Native.Metrics;

namespace Sidecar.Tunnels;

/// <summary>
/// What the tunnels count; owned here, rendered by /metrics (which reads these, and only these). One
/// source of truth per count; lock-free, no allocation on the relay paths.
/// </summary>
internal sealed class TunnelCounters
{
    private volatile Func<IReadOnlyDictionary<TunnelState, int>> _countByState = static () => new Dictionary<TunnelState, int>();

    /// <summary>frpc processes started again after they exited on their own, by FRPServer resource name.</summary>
    public ConcurrentDictionary<string, Counter> FrpcRestarts { get; } = new(StringComparer.Ordinal);

    /// <summary>frpc start attempts that failed before a process ran, by FRPServer resource name and reason.</summary>
    public ConcurrentDictionary<(string Server, FrpcStartFailure Reason), Counter> FrpcStartFailures { get; } = new();

    /// <summary>The native engine's per-frp-server session and visitor counters.</summary>
    public NativeCounters Native { get; } = new();

    /// <summary>Connections (UDP: client flows) accepted by a forwarder or native visitor.</summary>
    public Counter ForwardedConnections { get; } = new();

    /// <summary>Forwarded connections (UDP: flows) open now.</summary>
    public Gauge ActiveConnections { get; } = new();

    /// <summary>Connections refused (or UDP datagrams of new clients dropped) at a forwarder's cap.</summary>
    public Counter RejectedConnections { get; } = new();

    /// <summary>Accepted connections whose upstream (frps, or a visitor's work connection) could not be reached.</summary>
    public Counter FailedUpstreamConnects { get; } = new();

    /// <summary>Bytes from applications towards frps.</summary>
    public Counter BytesUpstream { get; } = new();

    /// <summary>Bytes from frps back to applications.</summary>
    public Counter BytesDownstream { get; } = new();

    /// <summary>Every tunnel state with how many tunnels are in it now (zero included), labelled as /metrics shows it.</summary>
    public IEnumerable<(string State, int Count)> TunnelsByState()
    {
        var counts = _countByState();
        foreach (var state in Enum.GetValues<TunnelState>())
        {
            yield return (state.ToString().ToLowerInvariant(), counts.GetValueOrDefault(state));
        }
    }

    /// <summary>Set by the driver that holds the tunnels: states are counted when read, not kept twice.</summary>
    public void CountStatesWith(Func<IReadOnlyDictionary<TunnelState, int>> countByState) => _countByState = countByState;

    /// <param name="server">The FRPServer resource name, the metric's label.</param>
    public void FrpcRestarted(string server) => FrpcRestarts.GetOrAdd(server, static _ => new Counter()).Increment();

    public void FrpcStartFailed(string server, FrpcStartFailure reason) =>
        FrpcStartFailures.GetOrAdd((server, reason), static _ => new Counter()).Increment();

    /// <summary>The start failures as /metrics labels them, ordered by server then reason.</summary>
    public IEnumerable<(string Server, string Reason, long Count)> FrpcStartFailuresByLabel() =>
        FrpcStartFailures.OrderBy(p => p.Key.Server, StringComparer.Ordinal).ThenBy(p => p.Key.Reason)
            .Select(p => (p.Key.Server, FrpcStartFailureLabels.Of(p.Key.Reason), p.Value.Value));

    public void ConnectionForwarded()
    {
        ForwardedConnections.Increment();
        ActiveConnections.Increment();
    }

    public void ForwardedConnectionClosed() => ActiveConnections.Decrement();

    public void ConnectionRejected() => RejectedConnections.Increment();

    public void UpstreamConnectFailed() => FailedUpstreamConnects.Increment();

    public void BytesUp(int count) => BytesUpstream.Add(count);

    public void BytesDown(int count) => BytesDownstream.Add(count);
}
