namespace Sidecar.Discovery.Model;

/// <summary>The subset of frps settings in <c>spec</c> that tell a client where and how to connect; the rest is ignored.</summary>
internal sealed class FrpServerSpec
{
    public string? BindAddr { get; init; }
    /// <summary>frps's control port; frp's default is 7000.</summary>
    public int? BindPort { get; init; }
    public int? KcpBindPort { get; init; }
    public int? QuicBindPort { get; init; }
    public string? ProxyBindAddr { get; init; }
    public FrpAuth? Auth { get; init; }
}
