using Microsoft.Extensions.Time.Testing;
using Sidecar.Resilience;

namespace Sidecar.Tests.Resilience;

public sealed class StormRecoveryTests
{
    private static readonly TimeSpan Calm = TimeSpan.FromSeconds(2);
    private readonly FakeTimeProvider _time = new();
    private int _open;
    private static readonly TimeSpan Check = TimeSpan.FromSeconds(1);
    private int _givenBack;
    private int _checks;

    private StormRecovery Recovery() => new(() => _open, stormSize: 100, calmSize: 8, Calm, Check, _time, () => _givenBack++, () => _checks++);

    private void Open(StormRecovery recovery, int count)
    {
        for (var i = 0; i < count; i++)
        {
            recovery.Opened(++_open);
        }
    }

    private void Close(StormRecovery recovery, int count)
    {
        for (var i = 0; i < count; i++)
        {
            recovery.Closed(--_open);
        }
    }

    [Fact]
    public void Closed_StormPassedAndCalmLasted_MemoryGivenBackOnce()
    {
        using var recovery = Recovery();
        Open(recovery, 150);
        Close(recovery, 150);

        _time.Advance(Calm);
        _time.Advance(Calm);

        Assert.Equal(1, _givenBack);
    }

    [Fact]
    public void Closed_NoStorm_NothingGivenBack()
    {
        using var recovery = Recovery();
        Open(recovery, 50);
        Close(recovery, 50);

        _time.Advance(Calm * 3);

        Assert.Equal(0, _givenBack);
    }

    [Fact]
    public void Closed_NextWaveBeforeCalmLasted_WaitsForTheWaveToPass()
    {
        using var recovery = Recovery();
        Open(recovery, 150);
        Close(recovery, 150);
        _time.Advance(Calm / 2);
        Open(recovery, 150);

        _time.Advance(Calm);
        Assert.Equal(0, _givenBack);

        Close(recovery, 150);
        _time.Advance(Calm);
        Assert.Equal(1, _givenBack);
    }

    [Fact]
    public void Opened_StormLasts_CheckedEveryPeriodUntilCalm()
    {
        using var recovery = Recovery();
        Open(recovery, 150);

        _time.Advance(Check * 3);
        Assert.Equal(3, _checks);

        // Calm: no more checks, then the give-back, and the check timer stops.
        Close(recovery, 150);
        _time.Advance(Calm);
        _time.Advance(Check * 3);
        Assert.Equal(3, _checks);
        Assert.Equal(1, _givenBack);
    }

    [Fact]
    public void Opened_NoStorm_NeverChecked()
    {
        using var recovery = Recovery();
        Open(recovery, 50);

        _time.Advance(Check * 5);

        Assert.Equal(0, _checks);
    }
}
