using Microsoft.Extensions.Logging;

namespace Sidecar.Hosting;

/// <summary>
/// Starts components in stages, waits for a stop signal, then stops them all within the grace period: each
/// stop begins in stop order, and they run in parallel, so one slow component (an frpc ignoring SIGTERM)
/// cannot spend the others' grace. Within a stage every start is begun, in order, before any is awaited, so
/// components that wait on each other's progress (the control loop on the first read, DNS on its bind) run side by
/// side. No Microsoft.Extensions.Hosting: this is all the lifecycle the sidecar needs.
/// </summary>
internal sealed partial class SidecarHost(
    IReadOnlyList<IReadOnlyList<IComponent>> startStages,
    IReadOnlyList<IComponent> stopOrder,
    TimeSpan shutdownGrace,
    TimeProvider timeProvider,
    ILogger<SidecarHost> logger)
{
    /// <returns>The process exit code.</returns>
    public async Task<int> RunAsync(CancellationToken stopping)
    {
        var started = timeProvider.GetTimestamp();
        try
        {
            foreach (var stage in startStages)
            {
                var starts = new Task[stage.Count];
                for (var i = 0; i < stage.Count; i++)
                {
                    starts[i] = stage[i].StartAsync(stopping);
                }
                for (var i = 0; i < stage.Count; i++)
                {
                    await starts[i].ConfigureAwait(false);
                    LogComponentStarted(stage[i].Name);
                }
            }
        }
        catch (StartupException e)
        {
            LogStartupFailed(e.Message);
            await StopAllAsync().ConfigureAwait(false);
            return ExitCodes.StartupFailed;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // A signal during start-up is an ordinary shutdown.
        }

        if (!stopping.IsCancellationRequested)
        {
            LogReady(timeProvider.GetElapsedTime(started).TotalMilliseconds);
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, timeProvider, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        LogStopping(shutdownGrace.TotalSeconds);
        // A slow component is logged by StopAllAsync; the signal was still honoured, so exit 0.
        await StopAllAsync().ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <returns>True when every component stopped within the grace period.</returns>
    private async Task<bool> StopAllAsync()
    {
        using var grace = new CancellationTokenSource(shutdownGrace, timeProvider);
        var stopped = timeProvider.GetTimestamp();
        // Each StopAsync is begun in stop order (its synchronous part — closing listeners, cancelling loops —
        // runs before the next one's), then all finish together. The tunnel driver opens nothing once stopping,
        // so nothing depends on an earlier component having finished.
        var stops = new Task<bool>[stopOrder.Count];
        for (var i = 0; i < stopOrder.Count; i++)
        {
            stops[i] = StopOneAsync(stopOrder[i], grace.Token);
        }
        var clean = (await Task.WhenAll(stops).ConfigureAwait(false)).All(ok => ok);
        foreach (var component in stopOrder)
        {
            await component.DisposeAsync().ConfigureAwait(false);
        }
        LogStopped(timeProvider.GetElapsedTime(stopped).TotalMilliseconds, clean);
        return clean;
    }

    private async Task<bool> StopOneAsync(IComponent component, CancellationToken grace)
    {
        try
        {
            await component.StopAsync(grace).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
            LogStopTimedOut(component.Name);
        }
        catch (Exception e)
        {
            LogStopFailed(component.Name, e);
        }
        return false;
    }
}
