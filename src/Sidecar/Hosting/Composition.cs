using Microsoft.Extensions.Logging;
using Sidecar.Configuration;
using Sidecar.Dns.Serving;

namespace Sidecar.Hosting;

/// <summary>The composition root: builds every component from the settings and wires them together.</summary>
internal static class Composition
{
    public static SidecarHost Build(Settings settings, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        // Start order: DNS listener bound → discovery → ready. Stop order: stop accepting, stop discovery,
        // close tunnels and children.
        var dns = new DnsServer(DnsServerOptions.From(settings), timeProvider, loggerFactory);
        IReadOnlyList<IComponent> startOrder = [dns];
        IReadOnlyList<IComponent> stopOrder = [dns];
        return new SidecarHost(startOrder, stopOrder, settings.ShutdownGrace, timeProvider,
            loggerFactory.CreateLogger<SidecarHost>());
    }
}
