using Microsoft.Extensions.Logging;
using Sidecar.Admin;
using Sidecar.Configuration;
using Sidecar.Discovery;
using Sidecar.Dns.Serving;
using Sidecar.Observability;
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
        var tunnels = TunnelDriver.Create(settings, loggerFactory, timeProvider, metrics);
        var discovery = DiscoveryFactory.Create(settings, dns, tunnels, loggerFactory, timeProvider, metrics: metrics, health: health);

        // Start order: admin (probes answer while the rest starts) → tunnels (state directory, leftover
        // frpc children) → DNS listener bound → discovery → ready.
        // Stop order: stop accepting, stop discovery, close tunnels and children, admin last.
        var startOrder = new List<IComponent>();
        AdminServer? admin = null;
        if (settings.AdminAddr is { } adminAddr)
        {
            admin = new AdminServer(adminAddr, health, metrics, discovery.Mappings, timeProvider, loggerFactory.CreateLogger<AdminServer>());
            startOrder.Add(admin);
        }
        startOrder.AddRange([tunnels, dns, discovery]);
        var stopOrder = new List<IComponent> { dns, discovery, tunnels };
        if (admin is not null)
        {
            stopOrder.Add(admin);
        }
        return new SidecarHost(startOrder, stopOrder, settings.ShutdownGrace, timeProvider,
            loggerFactory.CreateLogger<SidecarHost>());
    }
}
