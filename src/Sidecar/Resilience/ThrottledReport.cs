namespace Sidecar.Resilience;

/// <summary>
/// Runs a report at most once per interval however often it is signalled: the first signal reports at
/// once, later ones within the interval are folded into one report at its end. A neighbour causing
/// thousands of refusals a second then costs one log line per interval, not one per refusal. The interval
/// counts from when a report has been written, so even a report delayed on a busy machine is followed by
/// the next one no sooner than a full interval later.
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
    private bool _reporting;

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
            if (_reporting || _timeProvider.GetTimestamp() < _nextAllowed)
            {
                Defer();
                return;
            }
            _reporting = true;
            _pending = false;
        }
        Report();
    }

    private void Flush()
    {
        lock (_lock)
        {
            if (!_pending || _reporting)
            {
                return;
            }
            if (_timeProvider.GetTimestamp() < _nextAllowed)
            {
                _flush.Change(_timeProvider.GetElapsedTime(_timeProvider.GetTimestamp(), _nextAllowed), Timeout.InfiniteTimeSpan);
                return;
            }
            _reporting = true;
            _pending = false;
        }
        Report();
    }

    /// <summary>Under the lock: remember that a report is owed and make sure the timer will pay it.</summary>
    private void Defer()
    {
        if (_pending)
        {
            return;
        }
        _pending = true;
        var due = _reporting ? _interval : _timeProvider.GetElapsedTime(_timeProvider.GetTimestamp(), _nextAllowed);
        _flush.Change(due, Timeout.InfiniteTimeSpan);
    }

    private void Report()
    {
        try
        {
            _report();
        }
        finally
        {
            lock (_lock)
            {
                _reporting = false;
                _nextAllowed = _timeProvider.GetTimestamp() + (long)(_interval.TotalSeconds * _timeProvider.TimestampFrequency);
            }
        }
    }

    public void Dispose() => _flush.Dispose();
}
