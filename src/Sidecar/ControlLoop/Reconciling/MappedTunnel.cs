using Sidecar.Tunnels;

namespace Sidecar.ControlLoop.Reconciling;

/// <summary>One tunnel on the <see cref="MappingBoard"/>.</summary>
/// <param name="Since">When this version of the endpoint was opened.</param>
/// <param name="Published">Whether DNS answers the tunnel's service name now.</param>
internal sealed record MappedTunnel(Tunnel Tunnel, DateTimeOffset Since, bool Published);
