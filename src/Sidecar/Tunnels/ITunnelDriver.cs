namespace Sidecar.Tunnels;

/// <summary>
/// Opens and closes tunnels. Calls come in batches from the single reconciler, so a driver may apply a
/// batch at once (one frpc reload for many visitors). Neither call throws for one bad tunnel: a tunnel
/// that cannot open is reported through <see cref="GetState"/> and never affects the others.
/// </summary>
internal interface ITunnelDriver
{
    ValueTask OpenAsync(IReadOnlyList<Tunnel> tunnels, CancellationToken cancellationToken);

    ValueTask CloseAsync(IReadOnlyList<Tunnel> tunnels, CancellationToken cancellationToken);

    TunnelState GetState(Tunnel tunnel);

    /// <summary>
    /// Raised (on any thread) after a tunnel began accepting connections, so a name waiting for its tunnel
    /// can be published without polling. Carries nothing: the listener asks <see cref="GetState"/>.
    /// </summary>
    event Action? TunnelListening;
}
