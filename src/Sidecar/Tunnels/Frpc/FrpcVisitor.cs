using Sidecar.Endpoints;

namespace Sidecar.Tunnels.Frpc;

/// <summary>A tunnel served by an frpc visitor, under a name that stays the same for the tunnel's lifetime.</summary>
internal sealed class FrpcVisitor(Tunnel tunnel, string name)
{
    public Tunnel Tunnel { get; } = tunnel;

    public string Name { get; } = name;

    public bool IsUdp => Tunnel.Endpoint.IsUdp;

    private volatile TunnelState _state = TunnelState.Starting;

    /// <summary>The missing frpc was logged for this tunnel (once, until frpc is found); the supervisor's run loop only.</summary>
    public bool MissingFrpcReported { get; set; }

    /// <summary>Written by the supervisor, read by <see cref="ITunnelDriver.GetState"/> from any thread.</summary>
    public TunnelState State
    {
        get => _state;
        set => _state = value;
    }

    /// <summary>frp's default wait for hole punching before an xtcp visitor uses its fallback.</summary>
    public const int FallbackTimeoutMs = 1000;

    /// <summary>
    /// The visitor's frpc entries: one, or for an xtcp proxy with an stcp twin, the xtcp visitor plus the stcp
    /// visitor it falls back to (<c>bindPort = -1</c>: reached only through the fallback, never listening).
    /// </summary>
    public IEnumerable<FrpcVisitorConfig> ToConfigs()
    {
        var endpoint = Tunnel.Endpoint;
        var fallback = endpoint.Traits.Fallback is { } fallbackType && endpoint.FallbackProxyName is { } fallbackProxy
            ? new FrpcVisitorConfig
            {
                Name = Name + "-fallback",
                Type = ProxyTypeTraits.Of(fallbackType).Name,
                ServerName = fallbackProxy,
                SecretKey = string.IsNullOrEmpty(endpoint.FallbackSecretKey) ? null : endpoint.FallbackSecretKey,
                BindAddr = Tunnel.LocalAddress.ToString(),
                BindPort = -1,
            }
            : null;
        yield return new FrpcVisitorConfig
        {
            Name = Name,
            Type = endpoint.Traits.Tunnel == TunnelKind.Visitor
                ? endpoint.Traits.Name
                : throw new InvalidOperationException($"{endpoint.Traits.Name} has no frpc visitor"),
            ServerName = endpoint.ProxyName,
            SecretKey = string.IsNullOrEmpty(endpoint.SecretKey) ? null : endpoint.SecretKey,
            BindAddr = Tunnel.LocalAddress.ToString(),
            BindPort = endpoint.Port,
            FallbackTo = fallback?.Name,
            FallbackTimeoutMs = fallback is null ? null : FallbackTimeoutMs,
        };
        if (fallback is not null)
        {
            yield return fallback;
        }
    }

    public override string ToString() => $"{Name} ({Tunnel})";
}
