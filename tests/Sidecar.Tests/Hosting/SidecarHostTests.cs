using Microsoft.Extensions.Logging.Abstractions;
using Sidecar.Hosting;

namespace Sidecar.Tests.Hosting;

public sealed class SidecarHostTests
{
    private readonly List<string> _events = [];

    private static SidecarHost Host(IComponent[] start, IComponent[] stop, TimeSpan? grace = null) =>
        Staged([.. start.Select(c => new[] { c })], stop, grace);

    private static SidecarHost Staged(IComponent[][] stages, IComponent[] stop, TimeSpan? grace = null) =>
        new(stages, stop, grace ?? TimeSpan.FromSeconds(5), TimeProvider.System, NullLogger<SidecarHost>.Instance);

    [Fact]
    public async Task RunAsync_OneStage_BeginsEveryStartBeforeAwaitingAny()
    {
        // The loop's start waits for something the next component in its stage does (as the control loop waits
        // for the first read while DNS binds): started one after the other, this would never finish.
        var loop = new RecordingComponent("loop", _events) { StartUntil = new TaskCompletionSource() };
        var dns = new RecordingComponent("dns", _events) { OnStart = () => loop.StartUntil!.TrySetResult() };
        var after = new RecordingComponent("after", _events);
        using var stop = new CancellationTokenSource();
        var host = Staged([[loop, dns], [after]], [dns, loop, after]);

        var run = host.RunAsync(stop.Token);
        await WaitUntil(() => _events.Contains("start after"));
        stop.Cancel();

        Assert.Equal(ExitCodes.Ok, await run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(["start loop", "start dns", "start after"], _events.Take(3));
    }

    [Fact]
    public async Task RunAsync_StopSignal_StartsInOrderStopsInStopOrderAndExitsZero()
    {
        var dns = new RecordingComponent("dns", _events);
        var discovery = new RecordingComponent("discovery", _events);
        using var stop = new CancellationTokenSource();
        var host = Host([dns, discovery], [dns, discovery]);

        var run = host.RunAsync(stop.Token);
        await WaitUntil(() => _events.Contains("start discovery"));
        stop.Cancel();

        Assert.Equal(ExitCodes.Ok, await run);
        Assert.Equal(["start dns", "start discovery", "stop dns", "stop discovery", "dispose dns", "dispose discovery"], _events);
    }

    [Fact]
    public async Task RunAsync_StartupFailure_ExitsOneAndStopsWhatStarted()
    {
        var dns = new RecordingComponent("dns", _events) { FailStart = true };
        var discovery = new RecordingComponent("discovery", _events);
        var host = Host([dns, discovery], [dns, discovery]);

        Assert.Equal(ExitCodes.StartupFailed, await host.RunAsync(CancellationToken.None));
        Assert.DoesNotContain("start discovery", _events);
        Assert.Contains("stop dns", _events);
    }

    [Fact]
    public async Task RunAsync_ComponentIgnoresGrace_StillExitsZeroAfterGracePeriod()
    {
        var stuck = new RecordingComponent("stuck", _events) { HangOnStop = true };
        var next = new RecordingComponent("next", _events);
        using var stop = new CancellationTokenSource();
        stop.Cancel();
        var host = Host([stuck, next], [stuck, next], grace: TimeSpan.FromMilliseconds(200));

        Assert.Equal(ExitCodes.Ok, await host.RunAsync(stop.Token).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("stop next", _events);
    }

    [Fact]
    public async Task RunAsync_ComponentSlowToStop_OthersStopMeanwhileWithGraceLeft()
    {
        var slow = new RecordingComponent("slow", _events) { StopUntil = new TaskCompletionSource() };
        var next = new RecordingComponent("next", _events);
        using var stop = new CancellationTokenSource();
        stop.Cancel();
        var host = Host([slow, next], [slow, next], grace: TimeSpan.FromMinutes(5));

        var run = host.RunAsync(stop.Token);

        // The old host waited for "slow" (an frpc ignoring SIGTERM uses the grace) before stopping "next".
        await WaitUntil(() => _events.Contains("stop next"));
        Assert.False(run.IsCompleted);
        Assert.False(next.TokenCancelledAtStop);
        slow.StopUntil.SetResult();
        Assert.Equal(ExitCodes.Ok, await run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(["stop slow", "stop next"], _events.Where(e => e.StartsWith("stop", StringComparison.Ordinal)));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }
        Assert.True(condition());
    }

    private sealed class RecordingComponent(string name, List<string> events) : IComponent
    {
        public bool FailStart { get; init; }
        public bool HangOnStop { get; init; }
        public TaskCompletionSource? StopUntil { get; init; }
        public TaskCompletionSource? StartUntil { get; init; }
        public Action? OnStart { get; init; }
        public bool TokenCancelledAtStop { get; private set; }
        public string Name => name;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            lock (events) { events.Add("start " + name); }
            OnStart?.Invoke();
            return FailStart ? Task.FromException(new StartupException("cannot bind"))
                : StartUntil?.Task.WaitAsync(cancellationToken) ?? Task.CompletedTask;
        }

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            lock (events) { events.Add("stop " + name); }
            TokenCancelledAtStop = cancellationToken.IsCancellationRequested;
            if (StopUntil is not null)
            {
                await StopUntil.Task.WaitAsync(cancellationToken);
            }
            if (HangOnStop)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
        }

        public ValueTask DisposeAsync()
        {
            lock (events) { events.Add("dispose " + name); }
            return ValueTask.CompletedTask;
        }
    }
}
