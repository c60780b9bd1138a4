using Microsoft.Extensions.Logging;
using Sidecar.Configuration;
using Sidecar.Tunnels;

namespace Sidecar.Hosting;

/// <summary>The composition root: builds every component from the settings and wires them together.</summary>
internal static class Composition
{
    public static SidecarHost Build(Settings settings, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        // Start order: DNS listener bound → discovery → ready. Stop order: stop accepting, stop discovery,
        // close tunnels and children.
        // Tunnels start first (state directory, leftover frpc children) and stop last.
        var tunnels = TunnelDriver.Create(settings, loggerFactory, timeProvider);
        IReadOnlyList<IComponent> startOrder = [tunnels];
        IReadOnlyList<IComponent> stopOrder = [tunnels];
        return new SidecarHost(startOrder, stopOrder, settings.ShutdownGrace, timeProvider,
            loggerFactory.CreateLogger<SidecarHost>());
    }
}
