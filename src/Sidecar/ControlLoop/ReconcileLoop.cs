using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Sidecar.ControlLoop.Extraction;
using Sidecar.ControlLoop.Reconciling;
using Sidecar.Discovery;
using Sidecar.Hosting;

namespace Sidecar.ControlLoop;

/// <summary>
/// The control loop: every change of the <see cref="ResourceCache"/>, and every <see cref="Wake"/> (a tunnel
/// began listening, so a waiting name may be published), becomes one pass of extract (resources → desired
/// endpoints) and reconcile (desired → addresses, tunnels, DNS). Signals coalesce: a burst costs one pass.
/// One loop, one writer: nothing else mutates addresses, tunnels or names.
/// </summary>
internal sealed partial class ReconcileLoop : IComponent
{
    /// <summary>How long start-up waits for the first read before reporting ready anyway (the API may be down).</summary>
    public static readonly TimeSpan FirstSyncWait = TimeSpan.FromSeconds(5);

    private readonly ResourceCache _cache;
    private readonly EndpointExtractor _extractor;
    private readonly Reconciler _reconciler;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly LoopCounters? _counters;
    private readonly HealthState? _health;
    /// <summary>One slot: a signal while one is pending is dropped, as the pass it asks for will run anyway.</summary>
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });
    /// <summary>Completes once the first successful read has been reconciled: names can resolve.</summary>
    private readonly TaskCompletionSource _firstApplied = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private Task _loopTask = Task.CompletedTask;
    private bool _loggedFirst;

    public ReconcileLoop(ResourceCache cache, EndpointExtractor extractor, Reconciler reconciler, TimeProvider timeProvider,
        ILogger<ReconcileLoop> logger, LoopCounters? counters = null, HealthState? health = null)
    {
        _cache = cache;
        _extractor = extractor;
        _reconciler = reconciler;
        _timeProvider = timeProvider;
        _logger = logger;
        _counters = counters;
        _health = health;
        // Subscribed before any source runs, so the first read is never missed.
        cache.Changed += Wake;
    }

    public string Name => "reconcile-loop";

    /// <summary>Asks for a pass; from any thread, never blocks.</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Starts the loop and returns once the first read is reconciled (or <see cref="FirstSyncWait"/> passed).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _loopTask = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        var first = await Task.WhenAny(_firstApplied.Task, Task.Delay(FirstSyncWait, _timeProvider, cancellationToken)).ConfigureAwait(false);
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
            _health?.MarkStopped("reconcile loop stopped");
        }
    }

    private async Task WaitForChangeAsync(CancellationToken stopping) =>
        await _wake.Reader.ReadAsync(stopping).ConfigureAwait(false);

    private async Task PassAsync(CancellationToken stopping)
    {
        var started = _timeProvider.GetTimestamp();
        var desired = _extractor.Extract(_cache.Snapshot());
        var result = await _reconciler.ApplyAsync(desired, stopping).ConfigureAwait(false);
        if (result.Added + result.Removed + result.Changed > 0 || (!_loggedFirst && _cache.Synced.IsCompleted))
        {
            // Info only when endpoints change: a file rewritten every second is otherwise silent.
            _loggedFirst = true;
            LogLoaded(_cache.Count, _cache.Origin, desired.Count);
        }
        _counters?.ReconcileDuration.Observe(_timeProvider.GetElapsedTime(started));
        _counters?.MappedServices.Set(_reconciler.PublishedCount);
        if (_cache.Synced.IsCompleted)
        {
            _health?.MarkSynced(); // the first full read is applied: names can resolve
            _firstApplied.TrySetResult();
        }
    }
}
