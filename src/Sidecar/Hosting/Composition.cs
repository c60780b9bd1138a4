using Microsoft.Extensions.Logging;
using Sidecar.Admin;
using Sidecar.Configuration;
using Sidecar.Discovery;
using Sidecar.Dns.Serving;
using Sidecar.Observability;
using Sidecar.Reconciling;
using Sidecar.Tunnels;

namespace Sidecar.Hosting;

/// <summary>The composition root: builds every component from the settings and wires them together.</summary>
internal static class Composition
{
    public static SidecarHost Build(Settings settings, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        var metrics = new SidecarMetrics();
        var health = new HealthState();

        // DNS marks itself bound in the health state once both sockets serve; /healthz watches its loops.
        var dns = new DnsServer(DnsServerOptions.From(settings), timeProvider, loggerFactory, metrics, health);
        health.DnsLoopsAlive = () => dns.IsServing;
        // The tunnels issue's driver replaces this logging one.
        ITunnelDriver tunnels = new LoggingTunnelDriver(loggerFactory.CreateLogger<LoggingTunnelDriver>());
        var discovery = DiscoveryFactory.Create(settings, dns, tunnels, loggerFactory, timeProvider, metrics: metrics, health: health);

        var components = new List<IComponent>();
        if (settings.AdminAddr is { } adminAddr)
        {
            // Up first, so /healthz and /readyz answer while the rest starts.
            components.Add(new AdminServer(adminAddr, health, metrics, discovery.Mappings, loggerFactory.CreateLogger<AdminServer>()));
        }
        components.Add(dns);
        components.Add(discovery);

        // Start order: admin → DNS listener bound → discovery → ready. Stop order: stop accepting, stop
        // discovery, close tunnels and children, admin last so probes see the shutdown.
        IReadOnlyList<IComponent> startOrder = components;
        IReadOnlyList<IComponent> stopOrder = [.. components.Where(c => c is not AdminServer), .. components.Where(c => c is AdminServer)];
        return new SidecarHost(startOrder, stopOrder, settings.ShutdownGrace, timeProvider,
            loggerFactory.CreateLogger<SidecarHost>());
    }
}
