using Microsoft.Extensions.Logging;
using Sidecar.Admin;
using Sidecar.ControlLoop.Extraction;
using Sidecar.ControlLoop.Reconciling;
using Sidecar.Discovery;
using Sidecar.Hosting;

namespace Sidecar.ControlLoop;

/// <summary>
/// The control loop: every change signal from the <see cref="ResourceCache"/> becomes one pass of extract
/// (resources → desired endpoints) and reconcile (desired → addresses, tunnels, DNS). One loop, one writer:
/// nothing else mutates addresses, tunnels or names.
/// </summary>
internal sealed partial class ReconcileLoop(
    ResourceCache cache, EndpointExtractor extractor, Reconciler reconciler, TimeProvider timeProvider, ILogger<ReconcileLoop> logger,
    LoopCounters? counters = null, HealthState? health = null)
    : IComponent
{
    /// <summary>How long start-up waits for the first read before reporting ready anyway (the API may be down).</summary>
    public static readonly TimeSpan FirstSyncWait = TimeSpan.FromSeconds(5);

    /// <summary>While tunnels are starting, check this often whether their names can be published.</summary>
    private static readonly TimeSpan PendingRecheck = TimeSpan.FromMilliseconds(100);

    /// <summary>Completes once the first successful read has been reconciled: names can resolve.</summary>
    private readonly TaskCompletionSource _firstApplied = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private Task _loopTask = Task.CompletedTask;
    private bool _loggedFirst;

    public string Name => "reconcile-loop";

    /// <summary>Starts the loop and returns once the first read is reconciled (or <see cref="FirstSyncWait"/> passed).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _loopTask = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        var first = await Task.WhenAny(_firstApplied.Task, Task.Delay(FirstSyncWait, timeProvider, cancellationToken)).ConfigureAwait(false);
        if (first != _firstApplied.Task)
        {
            LogNotSynced(FirstSyncWait.TotalSeconds);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loopTask.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _stopping.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                await WaitForChangeAsync(stopping).ConfigureAwait(false);
                try
                {
                    await PassAsync(stopping).ConfigureAwait(false);
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

    private async Task WaitForChangeAsync(CancellationToken stopping)
    {
        if (!reconciler.HasPendingNames)
        {
            await cache.Changes.ReadAsync(stopping).ConfigureAwait(false);
            return;
        }
        using var timer = new CancellationTokenSource(PendingRecheck, timeProvider);
        using var recheck = CancellationTokenSource.CreateLinkedTokenSource(stopping, timer.Token);
        try
        {
            await cache.Changes.ReadAsync(recheck.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
        }
    }

    private async Task PassAsync(CancellationToken stopping)
    {
        var started = timeProvider.GetTimestamp();
        var desired = extractor.Extract(cache.Snapshot());
        var result = await reconciler.ApplyAsync(desired, stopping).ConfigureAwait(false);
        if (result.Added + result.Removed + result.Changed > 0 || (!_loggedFirst && cache.Synced.IsCompleted))
        {
            // Info only when endpoints change: a file rewritten every second is otherwise silent.
            _loggedFirst = true;
            LogLoaded(cache.Count, cache.Origin, desired.Count);
        }
        counters?.ReconcileDuration.Observe(timeProvider.GetElapsedTime(started));
        counters?.MappedServices.Set(reconciler.PublishedCount);
        if (cache.Synced.IsCompleted)
        {
            health?.MarkSynced(); // the first full read is applied: names can resolve
            _firstApplied.TrySetResult();
        }
    }
}
