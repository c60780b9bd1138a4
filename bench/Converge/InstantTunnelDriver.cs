using System.Collections.Concurrent;
using Sidecar.Endpoints;
using Sidecar.Tunnels;

namespace Sidecar.Bench;

/// <summary>
/// A tunnel driver whose tunnels are listening the moment they open, so the benchmarks time discovery,
/// reconcile and DNS publishing alone, without sockets or frpc.
/// </summary>
internal sealed class InstantTunnelDriver : ITunnelDriver
{
    private readonly ConcurrentDictionary<EndpointKey, Tunnel> _open = new();

    public ValueTask OpenAsync(IReadOnlyList<Tunnel> tunnels, CancellationToken cancellationToken)
    {
        foreach (var tunnel in tunnels)
        {
            _open[tunnel.Endpoint.Key] = tunnel;
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask CloseAsync(IReadOnlyList<Tunnel> tunnels, CancellationToken cancellationToken)
    {
        foreach (var tunnel in tunnels)
        {
            _open.TryRemove(tunnel.Endpoint.Key, out _);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Never raised: tunnels listen the moment they open.</summary>
    public event Action? TunnelListening { add { } remove { } }

    public TunnelState GetState(Tunnel tunnel) =>
        tunnel.Endpoint.ProxyType is ProxyType.Http or ProxyType.Https or ProxyType.Tcpmux ? TunnelState.Unsupported
        : _open.TryGetValue(tunnel.Endpoint.Key, out var open) && open == tunnel ? TunnelState.Listening
        : TunnelState.Failed;
}
