using Microsoft.Extensions.Logging;
using Sidecar.Addressing;
using Sidecar.Admin;
using Sidecar.Configuration;
using Sidecar.Discovery.Endpoints;
using Sidecar.Discovery.Files;
using Sidecar.Discovery.Kubernetes;
using Sidecar.Discovery.Sources;
using Sidecar.Dns;
using Sidecar.Observability;
using Sidecar.Reconciling;
using Sidecar.Tunnels;

namespace Sidecar.Discovery;

/// <summary>Builds the discovery component (source, extractor, allocator, reconciler) from the settings.</summary>
internal static class DiscoveryFactory
{
    /// <summary>A list that takes longer than this is treated as failed and retried.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How often a file source checks the file when no change notification arrives.</summary>
    public static readonly TimeSpan FilePollInterval = TimeSpan.FromSeconds(1);

    /// <exception cref="Hosting.StartupException">The Kubernetes configuration cannot be loaded.</exception>
    public static DiscoveryComponent Create(Settings settings, INamePublisher publisher, ITunnelDriver driver,
        ILoggerFactory loggerFactory, TimeProvider timeProvider, SidecarMetrics? metrics = null, HealthState? health = null)
    {
        Func<IResourceSource> source = () => settings.Source.Kind == SourceKind.File
            ? new FileSource(settings.Source.Path!, FilePollInterval, timeProvider, loggerFactory.CreateLogger<FileSource>())
            : new KubernetesSource(KubeApiClient.Create(KubeConfigLoader.Load(settings.Kubeconfig), RequestTimeout),
                SyncOptions(settings), timeProvider, loggerFactory.CreateLogger<KubernetesSource>());
        var allocator = new AddressAllocator(settings.IpRange, [settings.DnsAddr.Address], loggerFactory.CreateLogger<AddressAllocator>());
        var reconciler = new Reconciler(allocator, driver, publisher, settings.DnsWaitForTunnel, loggerFactory.CreateLogger<Reconciler>(), timeProvider);
        var extractor = new EndpointExtractor(EndpointRules.From(settings), loggerFactory.CreateLogger<EndpointExtractor>());
        return new DiscoveryComponent(source, extractor, reconciler, timeProvider, loggerFactory.CreateLogger<DiscoveryComponent>(), metrics, health);
    }

    /// <summary>The settings' discovery mode and narrowing: one scope per named server, else one for the selector (or all).</summary>
    public static KubeSyncOptions SyncOptions(Settings settings) => new()
    {
        Mode = settings.Discovery,
        PollInterval = settings.PollInterval,
        RelistPeriod = settings.RelistPeriod,
        Scopes = settings.FrpServers.Count > 0
            ? [.. settings.FrpServers.Select(name => ResourceScope.Named(name, settings.FrpServerSelector))]
            : [new ResourceScope(settings.FrpServerSelector, null)],
    };
}
