using System.Globalization;
using Sidecar.Admin;
using Sidecar.Endpoints;
using Sidecar.Tunnels;

namespace Sidecar.ControlLoop.Reconciling;

/// <summary>The reconciler's view for /debug/mappings: an immutable snapshot, read from the admin thread.</summary>
internal sealed partial class Reconciler
{
    private readonly Dictionary<EndpointKey, DateTimeOffset> _since = [];
    private volatile IReadOnlyList<(Tunnel Tunnel, DateTimeOffset Since, bool Published)> _view = [];

    public IReadOnlyList<MappingView> GetMappings()
    {
        var view = _view;
        return [.. view.GroupBy(v => v.Tunnel.Endpoint.Service, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new MappingView(g.Key, g.First().Tunnel.LocalAddress.ToString(), g.First().Published,
                [.. g.OrderBy(v => v.Tunnel.Endpoint.Port).Select(v => ToPortView(v.Tunnel, v.Since))]))];
    }

    private MappingPortView ToPortView(Tunnel tunnel, DateTimeOffset since)
    {
        var e = tunnel.Endpoint;
        // tcp/udp are forwarded to frps's public port; visitors dial frps's control port. Never the secret or token.
        var targetPort = e.Traits.NeedsRemotePort && e.RemotePort is { } rp ? rp : e.Server.Port;
        return new MappingPortView(e.Port, e.Key.Transport, e.Traits.Name, e.ProxyName,
            e.Server.Resource, $"{e.Server.Host}:{targetPort.ToString(CultureInfo.InvariantCulture)}",
            driver.GetState(tunnel).ToString().ToLowerInvariant(), since);
    }

    private void UpdateView() =>
        _view = [.. _current.Values.Select(t => (t, _since.GetValueOrDefault(t.Endpoint.Key), _published.ContainsKey(t.Endpoint.Service)))];
}
