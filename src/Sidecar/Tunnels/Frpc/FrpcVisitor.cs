using Sidecar.Endpoints;

namespace Sidecar.Tunnels.Frpc;

/// <summary>A tunnel served by an frpc visitor, under a name that stays the same for the tunnel's lifetime.</summary>
internal sealed class FrpcVisitor(Tunnel tunnel, string name)
{
    public Tunnel Tunnel { get; } = tunnel;

    public string Name { get; } = name;

    public bool IsUdp => Tunnel.Endpoint.ProxyType == ProxyType.Sudp;

    private volatile TunnelState _state = TunnelState.Starting;

    /// <summary>Written by the supervisor, read by <see cref="ITunnelDriver.GetState"/> from any thread.</summary>
    public TunnelState State
    {
        get => _state;
        set => _state = value;
    }

    public FrpcVisitorConfig ToConfig()
    {
        var endpoint = Tunnel.Endpoint;
        return new FrpcVisitorConfig
        {
            Name = Name,
            Type = endpoint.ProxyType switch
            {
                ProxyType.Stcp => "stcp",
                ProxyType.Sudp => "sudp",
                ProxyType.Xtcp => "xtcp",
                _ => throw new InvalidOperationException($"{endpoint.ProxyType} has no frpc visitor"),
            },
            ServerName = endpoint.ProxyName,
            SecretKey = string.IsNullOrEmpty(endpoint.SecretKey) ? null : endpoint.SecretKey,
            BindAddr = Tunnel.LocalAddress.ToString(),
            BindPort = endpoint.Port,
        };
    }

    public override string ToString() => $"{Name} ({Tunnel})";
}
