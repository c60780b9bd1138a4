namespace Sidecar.Resilience;

/// <summary>
/// Gives memory back a moment after a large read (<see cref="HeapCompaction.GiveBackMemory"/> by default): by then
/// the reader's buffers and what the read replaced are garbage, and the reconcile pass that follows has let go of
/// them. A request while one is pending pushes it back, so several reads close together (one list per scope at
/// start) cost one collection. Never for routine events: a full blocking collection is a few milliseconds.
/// </summary>
internal sealed class DeferredCompaction(TimeProvider timeProvider, TimeSpan delay, Action? giveBack = null) : IDisposable
{
    private readonly Lock _gate = new();
    private ITimer? _timer;
    private bool _disposed;

    /// <summary>Runs the give-back <c>delay</c> from now (on a timer thread), replacing any pending one.</summary>
    public void Request()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _timer ??= timeProvider.CreateTimer(static state => ((DeferredCompaction)state!).Run(), this,
                Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _timer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer?.Dispose();
        }
    }

    private void Run() => (giveBack ?? HeapCompaction.GiveBackMemory)();
}
