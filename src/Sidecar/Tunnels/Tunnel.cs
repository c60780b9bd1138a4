using System.Net;
using Sidecar.Endpoints;

namespace Sidecar.Tunnels;

/// <summary>An endpoint bound to the local address the application dials.</summary>
internal sealed record Tunnel(Endpoint Endpoint, IPAddress LocalAddress)
{
    public IPEndPoint LocalEndPoint => new(LocalAddress, Endpoint.Port);

    public override string ToString() => $"{Endpoint} at {LocalEndPoint}";
}
