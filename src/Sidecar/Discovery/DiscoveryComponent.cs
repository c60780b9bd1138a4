using Microsoft.Extensions.Logging;
using Sidecar.Configuration;
using Sidecar.Discovery.Files;
using Sidecar.Discovery.Kubernetes;
using Sidecar.Hosting;

namespace Sidecar.Discovery;

/// <summary>
/// Runs one resource source (Kubernetes or a file) into the <see cref="ResourceCache"/>. It only produces:
/// what the cache's changes mean for addresses, tunnels and names is the control loop's business.
/// </summary>
internal sealed partial class DiscoveryComponent(
    Func<IResourceSource> sourceFactory, ResourceCache cache, TimeProvider timeProvider, ILogger<DiscoveryComponent> logger,
    DiscoveryCounters? counters = null, HealthState? health = null)
    : IComponent
{
    /// <summary>A list that takes longer than this is treated as failed and retried.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How often a file source checks the file when no change notification arrives.</summary>
    public static readonly TimeSpan FilePollInterval = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stopping = new();
    private Task _sourceTask = Task.CompletedTask;

    public string Name => "discovery";

    /// <summary>The source named by <c>--source</c>, built on start so a bad configuration is a clean start-up failure.</summary>
    public static DiscoveryComponent Create(Settings settings, ResourceCache cache, ILoggerFactory loggerFactory,
        TimeProvider timeProvider, DiscoveryCounters? counters = null, HealthState? health = null)
    {
        Func<IResourceSource> source = () => settings.Source.Kind == SourceKind.File
            ? new FileSource(settings.Source.Path!, FilePollInterval, timeProvider, loggerFactory.CreateLogger<FileSource>())
            : new KubernetesSource(KubeApiClient.Create(KubeConfigLoader.Load(settings.Kubeconfig), RequestTimeout),
                SyncOptions(settings), timeProvider, loggerFactory.CreateLogger<KubernetesSource>());
        return new DiscoveryComponent(source, cache, timeProvider, loggerFactory.CreateLogger<DiscoveryComponent>(), counters, health);
    }

    /// <summary>The settings' discovery mode and narrowing: one scope per named server, else one for the selector (or all).</summary>
    public static KubeSyncOptions SyncOptions(Settings settings) => new()
    {
        Mode = settings.Discovery,
        PollInterval = settings.PollInterval,
        RelistPeriod = settings.RelistPeriod,
        Scopes = settings.FrpServers.Count > 0
            ? NamedScopes(settings.FrpServers, settings.FrpServerSelector)
            : [new ResourceScope(settings.FrpServerSelector, null)],
    };

    /// <summary>One scope per named server (a loop: Linq here is a run-time generic lookup before the first answer).</summary>
    private static ResourceScope[] NamedScopes(IReadOnlyList<string> names, string? selector)
    {
        var scopes = new ResourceScope[names.Count];
        for (var i = 0; i < scopes.Length; i++)
        {
            scopes[i] = ResourceScope.Named(names[i], selector);
        }
        return scopes;
    }

    /// <exception cref="StartupException">The source cannot be set up (e.g. no Kubernetes configuration).</exception>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var source = sourceFactory();
        LogStarting(source.Description);
        cache.Origin = source.Description;
        cache.ExpectPartitions(source.Partitions);
        if (counters is not null)
        {
            cache.ReadFailed += counters.SyncErrors.Increment;
            cache.FullReadSucceeded += () => counters.LastSuccessfulSyncUnixSeconds.Set(timeProvider.GetUtcNow().ToUnixTimeSeconds());
        }
        _sourceTask = Task.Run(() => RunSourceAsync(source, _stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _sourceTask.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _stopping.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task RunSourceAsync(IResourceSource source, CancellationToken stopping)
    {
        try
        {
            await source.RunAsync(cache, stopping).ConfigureAwait(false);
            if (!stopping.IsCancellationRequested)
            {
                throw new InvalidOperationException($"{source.Description} returned before shutdown");
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogSourceCrashed(e); // a bug: the last known state stays, DNS keeps answering, /healthz says so
            health?.MarkStopped("resource source stopped");
        }
        finally
        {
            (source as IDisposable)?.Dispose();
        }
    }
}
