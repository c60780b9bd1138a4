using Microsoft.Extensions.Logging;
using Sidecar.Admin;
using Sidecar.Discovery.Endpoints;
using Sidecar.Discovery.Sources;
using Sidecar.Hosting;
using Sidecar.Observability;
using Sidecar.Reconciling;

namespace Sidecar.Discovery;

/// <summary>
/// Runs a resource source and the reconcile loop: every change signal from the cache becomes one pass of
/// extract (resources → desired endpoints) and reconcile (desired → addresses, tunnels, DNS).
/// </summary>
internal sealed partial class DiscoveryComponent(
    Func<IResourceSource> sourceFactory, EndpointExtractor extractor, Reconciler reconciler, TimeProvider timeProvider, ILogger<DiscoveryComponent> logger,
    SidecarMetrics? metrics = null, HealthState? health = null)
    : IComponent
{
    /// <summary>How long start-up waits for the first read before reporting ready anyway (the API may be down).</summary>
    public static readonly TimeSpan FirstSyncWait = TimeSpan.FromSeconds(5);

    /// <summary>While tunnels are starting, check this often whether their names can be published.</summary>
    private static readonly TimeSpan PendingRecheck = TimeSpan.FromMilliseconds(100);

    private ResourceCache _cache = new();
    /// <summary>Completes once the first successful read has been reconciled: names can resolve.</summary>
    private readonly TaskCompletionSource _firstApplied = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private Task _sourceTask = Task.CompletedTask;
    private Task _loopTask = Task.CompletedTask;

    public string Name => "discovery";

    /// <summary>The reconciler's view of names and tunnels, for /debug/mappings.</summary>
    public IMappingSource Mappings => reconciler;

    /// <summary>Completes after each reconcile pass; for tests and benchmarks.</summary>
    public event Action<ReconcileResult>? Reconciled;

    /// <exception cref="StartupException">The source cannot be set up (e.g. no Kubernetes configuration).</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Built here, not in the composition root, so a configuration problem is a clean start-up failure.
        var source = sourceFactory();
        LogStarting(source.Description);
        _cache = new ResourceCache(source.Partitions);
        if (metrics is not null)
        {
            _cache.ReadFailed += metrics.SyncErrors.Increment;
            _cache.FullReadSucceeded += () => metrics.LastSuccessfulSyncUnixSeconds.Set(timeProvider.GetUtcNow().ToUnixTimeSeconds());
        }
        _sourceTask = Task.Run(() => RunSourceAsync(source, _stopping.Token), CancellationToken.None);
        _loopTask = Task.Run(() => RunLoopAsync(source.Description, _stopping.Token), CancellationToken.None);
        var first = await Task.WhenAny(_firstApplied.Task, Task.Delay(FirstSyncWait, timeProvider, cancellationToken)).ConfigureAwait(false);
        if (first != _firstApplied.Task)
        {
            LogNotSynced(FirstSyncWait.TotalSeconds);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_sourceTask, _loopTask).WaitAsync(cancellationToken).ConfigureAwait(false);
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
            await source.RunAsync(_cache, stopping).ConfigureAwait(false);
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

    private async Task RunLoopAsync(string sourceDescription, CancellationToken stopping)
    {
        var loggedFirst = false;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                if (reconciler.HasPendingNames)
                {
                    using var timer = new CancellationTokenSource(PendingRecheck, timeProvider);
                    using var recheck = CancellationTokenSource.CreateLinkedTokenSource(stopping, timer.Token);
                    try
                    {
                        await _cache.Changes.ReadAsync(recheck.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                    {
                    }
                }
                else
                {
                    await _cache.Changes.ReadAsync(stopping).ConfigureAwait(false);
                }
                try
                {
                    var started = timeProvider.GetTimestamp();
                    var desired = extractor.Extract(_cache.Snapshot());
                    var result = await reconciler.ApplyAsync(desired, stopping).ConfigureAwait(false);
                    if (result.Added + result.Removed + result.Changed > 0 || (!loggedFirst && _cache.Synced.IsCompleted))
                    {
                        // Info only when endpoints change: a file rewritten every second is otherwise silent.
                        loggedFirst = true;
                        LogLoaded(_cache.Count, sourceDescription, desired.Count);
                    }
                    metrics?.ReconcileDuration.Observe(timeProvider.GetElapsedTime(started));
                    metrics?.MappedServices.Set(reconciler.PublishedCount);
                    if (_cache.Synced.IsCompleted)
                    {
                        health?.MarkSynced(); // the first full read is applied: names can resolve
                        _firstApplied.TrySetResult();
                    }
                    Reconciled?.Invoke(result);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogPassFailed(e); // a bug; the next change tries again
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogLoopCrashed(e);
            health?.MarkStopped("reconcile loop stopped");
        }
    }
}
