using Microsoft.Extensions.Time.Testing;
using Sidecar.Resilience;

namespace Sidecar.Tests.Resilience;

public sealed class DeferredCompactionTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);
    private readonly FakeTimeProvider _time = new();
    private int _givenBack;

    private DeferredCompaction Compaction() => new(_time, Delay, () => Interlocked.Increment(ref _givenBack));

    [Fact]
    public void Request_DelayPassed_GivesBackOnce()
    {
        using var compaction = Compaction();
        compaction.Request();
        _time.Advance(Delay - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, _givenBack);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, _givenBack);
        _time.Advance(Delay * 10);
        Assert.Equal(1, _givenBack);
    }

    [Fact]
    public void Request_SeveralCloseTogether_OneGiveBackAfterTheLast()
    {
        using var compaction = Compaction();
        compaction.Request();
        _time.Advance(Delay / 2);
        compaction.Request();
        _time.Advance(Delay / 2);
        Assert.Equal(0, _givenBack);
        _time.Advance(Delay / 2);
        Assert.Equal(1, _givenBack);
    }

    [Fact]
    public void Request_AfterDispose_NothingRuns()
    {
        var compaction = Compaction();
        compaction.Request();
        compaction.Dispose();
        compaction.Request();
        _time.Advance(Delay * 2);
        Assert.Equal(0, _givenBack);
    }
}
