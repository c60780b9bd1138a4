using Sidecar.Tunnels;

namespace Sidecar.ControlLoop.Reconciling;

/// <summary>
/// What the reconciler applied, published for readers on other threads (the admin endpoint's
/// /debug/mappings): one writer replaces an immutable snapshot after each pass, readers never lock. Tunnel
/// states are live, asked of the driver when read, so the board is never behind a tunnel that came up.
/// </summary>
internal sealed class MappingBoard(ITunnelDriver driver)
{
    private volatile IReadOnlyList<MappedTunnel> _tunnels = [];

    /// <summary>Every tunnel the reconciler holds now, with its name's state in DNS.</summary>
    public IReadOnlyList<MappedTunnel> Tunnels => _tunnels;

    public TunnelState StateOf(Tunnel tunnel) => driver.GetState(tunnel);

    /// <summary>Replaces the snapshot; the reconciler's alone to call.</summary>
    public void Post(IReadOnlyList<MappedTunnel> tunnels) => _tunnels = tunnels;
}
