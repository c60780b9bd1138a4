namespace Sidecar.Endpoints;

/// <summary>
/// One port of one mapped service, as discovered from an FRPServer's activeConnections: everything a
/// tunnel needs. Compared by content, so a status rewrite that changes nothing we use is no change.
/// </summary>
/// <param name="Service">The DNS name, lower-case (e.g. <c>mysql.abc</c>).</param>
/// <param name="Port">The port the application connects to on the mapped address.</param>
/// <param name="ProxyName">The proxy's name at frps (a visitor's serverName).</param>
/// <param name="ProxyType">How to reach it; what that means is in <see cref="ProxyTypeTraits"/>.</param>
/// <param name="Server">The frp server holding the proxy.</param>
/// <param name="RemotePort">frps's public port for tcp/udp proxies.</param>
/// <param name="SecretKey">stcp/sudp/xtcp shared secret; never logged.</param>
internal sealed record Endpoint(
    string Service,
    int Port,
    string ProxyName,
    ProxyType ProxyType,
    FrpsTarget Server,
    int? RemotePort,
    string? SecretKey)
{
    /// <summary>
    /// xtcp only: an stcp proxy of the same service on the same frps, which the visitor falls back to when
    /// hole punching fails (frp's <c>fallbackTo</c>).
    /// </summary>
    public string? FallbackProxyName { get; init; }

    /// <summary>The fallback stcp proxy's secret; never logged.</summary>
    public string? FallbackSecretKey { get; init; }

    public EndpointKey Key => new(Service, Port, IsUdp ? "udp" : "tcp");

    public ProxyTypeTraits Traits => ProxyTypeTraits.Of(ProxyType);

    public bool IsUdp => Traits.IsUdp;

    public override string ToString() => $"{Service}:{Port}/{Traits.Name} via {Server}";
}

/// <summary>What identifies a tunnel locally: a service name, a port and a transport.</summary>
internal readonly record struct EndpointKey(string Service, int Port, string Transport)
{
    public override string ToString() => $"{Service}:{Port}/{Transport}";
}
