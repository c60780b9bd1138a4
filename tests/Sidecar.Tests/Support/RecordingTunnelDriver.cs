using Sidecar.Endpoints;
using Sidecar.Tunnels;

namespace Sidecar.Tests.Support;

/// <summary>Test double for the tunnel driver: journals opens and closes; reports a state the test chooses.</summary>
internal sealed class RecordingTunnelDriver(List<string> journal) : ITunnelDriver
{
    public Dictionary<EndpointKey, Tunnel> Open { get; } = [];
    public TunnelState StateOfOpen { get; set; } = TunnelState.Listening;
    public int Calls;

    public ValueTask OpenAsync(IReadOnlyList<Tunnel> tunnels, CancellationToken cancellationToken)
    {
        Calls++;
        foreach (var t in tunnels)
        {
            Open[t.Endpoint.Key] = t;
            journal.Add($"open {t.Endpoint.Key}@{t.LocalAddress}");
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask CloseAsync(IReadOnlyList<Tunnel> tunnels, CancellationToken cancellationToken)
    {
        Calls++;
        foreach (var t in tunnels)
        {
            Open.Remove(t.Endpoint.Key);
            journal.Add($"close {t.Endpoint.Key}@{t.LocalAddress}");
        }
        return ValueTask.CompletedTask;
    }

    public event Action? TunnelListening;

    /// <summary>Every open tunnel now listens, and the driver says so, as the real one does.</summary>
    public void BecomeListening()
    {
        StateOfOpen = TunnelState.Listening;
        TunnelListening?.Invoke();
    }

    public TunnelState GetState(Tunnel tunnel) =>
        Open.TryGetValue(tunnel.Endpoint.Key, out var t) && t == tunnel ? StateOfOpen : TunnelState.Failed;
}
