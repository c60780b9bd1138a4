using System.Globalization;
using System.Net;
using Sidecar.Discovery.Model;
using Sidecar.Endpoints;
using Sidecar.Logging;

namespace Sidecar.ControlLoop.Extraction;

/// <summary>Turns one FRPServer into the endpoints of mapped services it offers online; pure, no logging.</summary>
internal static class ResourceEndpointReader
{
    private const string WholeResource = "(resource)";

    public static ResourceEndpoints Read(FrpServer server, EndpointRules rules)
    {
        var name = string.IsNullOrEmpty(server.Name) ? "(unnamed)" : server.Name;
        var created = DateTimeOffset.TryParse(server.Metadata?.CreationTimestamp, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var t) ? t : DateTimeOffset.MaxValue;
        if (server.ParseError is { } parseError)
        {
            ItemProblem problem = new(name, WholeResource, parseError);
            if (server.LastGood is { } lastGood)
            {
                var kept = Read(lastGood, rules);
                return kept with { Problems = [new(name, WholeResource, $"{parseError} (keeping its last readable version)"), .. kept.Problems] };
            }
            return new(name, created, [], [problem]);
        }
        if (string.IsNullOrEmpty(server.Name))
        {
            return new(name, created, [], [new(name, WholeResource, "metadata.name is missing")]);
        }
        var connections = server.Status?.ActiveConnections;
        if (connections is null || connections.Count == 0)
        {
            return new(name, created, [], []);
        }

        var problems = new List<ItemProblem>();
        var target = ResolveServer(server, rules, out var serverProblem);
        var endpoints = new List<Endpoint>();
        for (var i = 0; i < connections.Count; i++)
        {
            var item = connections[i];
            var itemName = item.ProxyName ?? $"activeConnections[{i}]";
            if (item.ParseError is { } itemError)
            {
                problems.Add(new(name, itemName, itemError));
                continue;
            }
            if (!string.Equals(item.Status, ActiveConnection.Online, StringComparison.OrdinalIgnoreCase))
            {
                continue; // offline proxies stay listed until frps forgets them
            }
            if (string.IsNullOrWhiteSpace(item.ProxyName))
            {
                problems.Add(new(name, itemName, "proxyName is missing"));
                continue;
            }
            if (!ProxyName.TryParse(item.ProxyName, out var proxyName, out var nameError))
            {
                problems.Add(new(name, itemName, nameError));
                continue;
            }
            if (!rules.MappedServices.TryGetValue(proxyName.Service, out var mapped))
            {
                continue;
            }
            if (target is null)
            {
                problems.Add(new(name, itemName, serverProblem!));
                continue;
            }
            if (TryBuild(item, proxyName, mapped.Port, target, out var endpoint, out var reason))
            {
                endpoints.Add(endpoint);
            }
            else
            {
                problems.Add(new(name, itemName, reason));
            }
        }
        return new(name, created, endpoints, problems);
    }

    private static bool TryBuild(ActiveConnection item, ProxyName proxyName, int? mappedPort, FrpsTarget target,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Endpoint? endpoint, out string reason)
    {
        endpoint = null;
        var typeText = item.ProxyType ?? item.ProxyConfig?.Type ?? proxyName.Scheme;
        if (!ProxyTypeTraits.TryParse(typeText, out var type))
        {
            reason = $"proxyType '{UntrustedText.ForLog(typeText)}' is not an frp proxy type";
            return false;
        }
        var config = item.ProxyConfig;
        // Precedence: the mapped-services entry, the URI port, localPort, remotePort (first found).
        var port = mappedPort ?? proxyName.Port ?? config?.LocalPort ?? config?.RemotePort;
        if (port is not { } p || !IsPort(p))
        {
            reason = port is null ? "no usable port (mapped-services, URI, localPort, remotePort)" : $"port {port} is out of range";
            return false;
        }
        var remotePort = config?.RemotePort;
        if (remotePort is { } rp && !IsPort(rp))
        {
            reason = $"remotePort {rp} is out of range";
            return false;
        }
        if (ProxyTypeTraits.Of(type).NeedsRemotePort && remotePort is null)
        {
            reason = $"a {UntrustedText.ForLog(typeText)} proxy needs proxyConfig.remotePort";
            return false;
        }
        endpoint = new Endpoint(proxyName.Service, p, item.ProxyName!, type, target, remotePort,
            string.IsNullOrEmpty(config?.SecretKey) ? null : config.SecretKey);
        reason = "";
        return true;
    }

    /// <summary>Where to dial frps: status.internetAddr, else a concrete spec.bindAddr, else --frps-addr.</summary>
    private static FrpsTarget? ResolveServer(FrpServer server, EndpointRules rules, out string? problem)
    {
        problem = null;
        var bindPort = server.Spec?.BindPort ?? FrpsTarget.DefaultPort;
        if (!IsPort(bindPort))
        {
            problem = $"spec.bindPort {bindPort} is out of range";
            return null;
        }
        var host = NonEmpty(server.Status?.InternetAddr)
            ?? (IsConcrete(server.Spec?.BindAddr) ? server.Spec!.BindAddr!.Trim() : null)
            ?? NonEmpty(rules.FrpsAddr);
        if (host is null)
        {
            problem = "no frps address: status.internetAddr is empty, spec.bindAddr is a wildcard, and --frps-addr is not set";
            return null;
        }
        var token = NonEmpty(rules.FrpToken) ?? NonEmpty(server.Spec?.Auth?.Token);
        return new FrpsTarget(server.Name, host, bindPort, token);
    }

    private static bool IsConcrete(string? bindAddr) =>
        NonEmpty(bindAddr) is { } a && !(IPAddress.TryParse(a, out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)));

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static bool IsPort(int value) => value is >= 1 and <= 65535;
}
