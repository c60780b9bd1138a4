using Microsoft.Extensions.Logging;
using Sidecar.Addressing;
using Sidecar.Admin;
using Sidecar.Configuration;
using Sidecar.ControlLoop;
using Sidecar.ControlLoop.Extraction;
using Sidecar.ControlLoop.Reconciling;
using Sidecar.Discovery;
using Sidecar.Discovery.Kubernetes;
using Sidecar.Dns;
using Sidecar.Dns.Serving;
using Sidecar.Observability;
using Sidecar.Tunnels;

namespace Sidecar.Hosting;

/// <summary>
/// The composition root: builds every component from the settings and wires them together, along the data
/// flow sources → cache → extract → reconcile → (addresses, tunnels, DNS table).
/// </summary>
internal static class Composition
{
    public static SidecarHost Build(Settings settings, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        var metrics = new SidecarMetrics();
        var health = new HealthState();
        // With a file source no TLS peer is checked against the system's CA store (frps is checked against its own
        // CA file or not at all), so the store is never loaded: ~1 MiB per process once a native visitor connects.
        // Here, on the main thread before any component starts (see SystemTrustStore); the Kubernetes source
        // decides for itself once it has read the kubeconfig.
        if (settings.Source.Kind == SourceKind.File)
        {
            SystemTrustStore.TryDisable();
        }

        // DNS marks itself bound in the health state once both sockets serve; /healthz watches its loops.
        var dns = new DnsServer(DnsOptions(settings), timeProvider, loggerFactory, metrics.Dns, health);
        health.DnsLoopsAlive = () => dns.IsServing;
        var tunnels = TunnelDriver.Create(settings, loggerFactory, timeProvider, metrics.Tunnels);
        var control = BuildControlPath(settings, dns, tunnels, loggerFactory, timeProvider, metrics, health);

        // Start stages: admin (probes answer while the rest starts) → tunnels (state directory, leftover frpc
        // children) → discovery, control loop and DNS together: the first read runs on the thread pool and the loop
        // applies it (addresses, tunnels, the name table) while this thread binds the DNS sockets; the stage ends
        // once both sockets serve and the first read is applied → ready. All of it is on the way to the first
        // answer that carries a record.
        // Stop order: stop accepting, stop discovery and the loop, close tunnels and children, admin last.
        var startStages = new List<IReadOnlyList<IComponent>>();
        AdminServer? admin = null;
        if (settings.AdminAddr is { } adminAddr)
        {
            admin = new AdminServer(adminAddr, health, metrics, control.Mappings, timeProvider, loggerFactory.CreateLogger<AdminServer>());
            startStages.Add([admin]);
        }
        startStages.Add([tunnels]);
        startStages.Add([control.Discovery, control.Loop, dns]);
        var stopOrder = new List<IComponent> { dns, control.Discovery, control.Loop, tunnels };
        if (admin is not null)
        {
            stopOrder.Add(admin);
        }
        return new SidecarHost(startStages, stopOrder, settings.ShutdownGrace, timeProvider,
            loggerFactory.CreateLogger<SidecarHost>());
    }

    /// <summary>
    /// The control path: a source writing the cache, and the loop turning cache changes into addresses,
    /// tunnels (<paramref name="driver"/>) and names (<paramref name="publisher"/>). Start Discovery, then Loop.
    /// </summary>
    public static ControlPath BuildControlPath(Settings settings, INamePublisher publisher, ITunnelDriver driver,
        ILoggerFactory loggerFactory, TimeProvider timeProvider, SidecarMetrics? metrics = null, HealthState? health = null)
    {
        var cache = new ResourceCache();
        var discovery = DiscoveryComponent.Create(settings, cache, loggerFactory, timeProvider, metrics?.Discovery, health);
        var extractor = new EndpointExtractor(EndpointRules.From(settings), loggerFactory.CreateLogger<EndpointExtractor>());
        var allocator = new AddressAllocator(settings.IpRange, [settings.DnsAddr.Address], loggerFactory.CreateLogger<AddressAllocator>());
        var board = new MappingBoard(driver);
        var reconciler = new Reconciler(allocator, driver, publisher, settings.DnsWaitForTunnel, loggerFactory.CreateLogger<Reconciler>(), timeProvider, board);
        var loop = new ReconcileLoop(cache, extractor, reconciler, timeProvider, loggerFactory.CreateLogger<ReconcileLoop>(), metrics?.Loop, health);
        // A tunnel that begins listening may let a name waiting for it be published: the driver says so, nobody polls.
        driver.TunnelListening += loop.Wake;
        return new ControlPath(discovery, loop, new MappingBoardReader(board));
    }

    /// <summary>What DNS needs of the settings: Dns/ knows no <see cref="Settings"/>.</summary>
    public static DnsServerOptions DnsOptions(Settings settings) =>
        new(settings.DnsAddr, settings.DnsTtl, settings.DnsMiss, settings.DnsUpstream, settings.DnsSearch);
}
