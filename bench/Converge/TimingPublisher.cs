using System.Diagnostics;
using System.Net;
using Sidecar.Dns;

namespace Sidecar.Bench;

/// <summary>
/// Stands where the DNS server's publisher will be: "the DNS answer changed" is measured as the moment the
/// reconciler publishes the new table (the DNS server swaps it in without further work).
/// </summary>
internal sealed class TimingPublisher : INamePublisher
{
    private readonly Lock _gate = new();
    private (Func<IReadOnlyDictionary<string, IPAddress>, bool> Condition, TaskCompletionSource<long> Done)? _waiter;

    public void Publish(IReadOnlyCollection<DnsMapping> mappings)
    {
        var now = Stopwatch.GetTimestamp();
        var table = mappings.ToDictionary(m => m.Name, m => m.Address);
        lock (_gate)
        {
            if (_waiter is { } w && w.Condition(table))
            {
                _waiter = null;
                w.Done.TrySetResult(now);
            }
        }
    }

    public Task<long> Expect(Func<IReadOnlyDictionary<string, IPAddress>, bool> condition)
    {
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waiter = (condition, done);
        }
        return done.Task;
    }
}
