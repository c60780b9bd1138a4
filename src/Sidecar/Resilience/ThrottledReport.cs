namespace Sidecar.Resilience;

/// <summary>
/// Runs a report at most once per interval however often it is signalled: the first signal reports at
/// once, later ones within the interval are folded into one report at its end. A neighbour causing
/// thousands of refusals a second then costs one log line per interval, not one per refusal.
/// </summary>
internal sealed class ThrottledReport : IDisposable
{
    private readonly TimeSpan _interval;
    private readonly TimeProvider _timeProvider;
    private readonly Action _report;
    private readonly ITimer _flush;
    private readonly Lock _lock = new();
    private long _nextAllowed;
    private bool _pending;

    public ThrottledReport(TimeSpan interval, TimeProvider timeProvider, Action report)
    {
        _interval = interval;
        _timeProvider = timeProvider;
        _report = report;
        _nextAllowed = timeProvider.GetTimestamp();
        _flush = timeProvider.CreateTimer(_ => Flush(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Something worth reporting happened.</summary>
    public void Signal()
    {
        lock (_lock)
        {
            var now = _timeProvider.GetTimestamp();
            if (now >= _nextAllowed)
            {
                _nextAllowed = now + (long)(_interval.TotalSeconds * _timeProvider.TimestampFrequency);
                _pending = false;
            }
            else
            {
                if (!_pending)
                {
                    _pending = true;
                    _flush.Change(_timeProvider.GetElapsedTime(now, _nextAllowed), Timeout.InfiniteTimeSpan);
                }
                return;
            }
        }
        _report();
    }

    private void Flush()
    {
        lock (_lock)
        {
            if (!_pending)
            {
                return;
            }
            _pending = false;
            _nextAllowed = _timeProvider.GetTimestamp() + (long)(_interval.TotalSeconds * _timeProvider.TimestampFrequency);
        }
        _report();
    }

    public void Dispose() => _flush.Dispose();
}
