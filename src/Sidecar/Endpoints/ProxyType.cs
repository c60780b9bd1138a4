namespace Sidecar.Endpoints;

/// <summary>frp proxy types (frp's <c>proxyType</c>); what each needs is one row of <see cref="ProxyTypeTraits"/>.</summary>
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
