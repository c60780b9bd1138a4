namespace Sidecar.Endpoints;

/// <summary>frp proxy types (frp's <c>proxyType</c>).</summary>
internal enum ProxyType
{
    Tcp,
    Udp,
    Stcp,
    Sudp,
    Xtcp,
    Http,
    Https,
    Tcpmux,
}
