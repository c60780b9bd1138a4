using Microsoft.Extensions.Logging;
using Sidecar.Configuration;
using Sidecar.Discovery;
using Sidecar.Dns;
using Sidecar.Reconciling;
using Sidecar.Tunnels;

namespace Sidecar.Hosting;

/// <summary>The composition root: builds every component from the settings and wires them together.</summary>
internal static class Composition
{
    public static SidecarHost Build(Settings settings, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        // The DNS server's INamePublisher plugs in here once it is merged (integrator: pass the DNS
        // component's publisher and put the DNS component before discovery in both orders below).
        INamePublisher publisher = new LoggingNamePublisher(loggerFactory.CreateLogger<LoggingNamePublisher>());
        // The tunnels issue's driver replaces this logging one.
        ITunnelDriver tunnels = new LoggingTunnelDriver(loggerFactory.CreateLogger<LoggingTunnelDriver>());
        var discovery = DiscoveryFactory.Create(settings, publisher, tunnels, loggerFactory, timeProvider);

        // Start order: DNS listener bound → discovery → ready. Stop order: stop accepting, stop discovery,
        // close tunnels and children.
        IReadOnlyList<IComponent> startOrder = [discovery];
        IReadOnlyList<IComponent> stopOrder = [discovery];
        return new SidecarHost(startOrder, stopOrder, settings.ShutdownGrace, timeProvider,
            loggerFactory.CreateLogger<SidecarHost>());
    }
}
