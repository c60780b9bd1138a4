using System.Globalization;
using Sidecar.ControlLoop.Reconciling;
using Sidecar.Endpoints;

namespace Sidecar.Admin;

/// <summary>Shows the reconciler's <see cref="MappingBoard"/> as /debug/mappings lists it: by name, ports in order.</summary>
internal sealed class MappingBoardReader(MappingBoard board) : IMappingSource
{
    public IReadOnlyList<MappingView> GetMappings() =>
        [.. board.Tunnels.GroupBy(t => t.Tunnel.Endpoint.Service, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new MappingView(g.Key, g.First().Tunnel.LocalAddress.ToString(), g.First().Published,
                [.. g.OrderBy(t => t.Tunnel.Endpoint.Port).Select(ToPortView)]))];

    private MappingPortView ToPortView(MappedTunnel mapped)
    {
        var e = mapped.Tunnel.Endpoint;
        // tcp/udp are forwarded to frps's public port; visitors dial frps's control port. Never the secret or token.
        var targetPort = e.Traits.NeedsRemotePort && e.RemotePort is { } rp ? rp : e.Server.Port;
        return new MappingPortView(e.Port, e.Key.Transport, e.Traits.Name, e.ProxyName,
            e.Server.Resource, $"{e.Server.Host}:{targetPort.ToString(CultureInfo.InvariantCulture)}",
            board.StateOf(mapped.Tunnel).ToString().ToLowerInvariant(), mapped.Since);
    }
}
