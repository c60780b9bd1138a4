using Microsoft.Extensions.Logging;

namespace Sidecar.Hosting;

/// <summary>
/// Starts components in order, waits for a stop signal, then stops them in their stop order within the
/// grace period. No Microsoft.Extensions.Hosting: this is all the lifecycle the sidecar needs.
/// </summary>
internal sealed partial class SidecarHost(
    IReadOnlyList<IComponent> startOrder,
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
            foreach (var component in startOrder)
            {
                await component.StartAsync(stopping).ConfigureAwait(false);
                LogComponentStarted(component.Name);
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
        var clean = true;
        foreach (var component in stopOrder)
        {
            try
            {
                await component.StopAsync(grace.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or TimeoutException)
            {
                clean = false;
                LogStopTimedOut(component.Name);
            }
            catch (Exception e)
            {
                clean = false;
                LogStopFailed(component.Name, e);
            }
        }
        foreach (var component in stopOrder)
        {
            await component.DisposeAsync().ConfigureAwait(false);
        }
        LogStopped(timeProvider.GetElapsedTime(stopped).TotalMilliseconds, clean);
        return clean;
    }
}
