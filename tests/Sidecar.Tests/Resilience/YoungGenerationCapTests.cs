using Microsoft.Extensions.Time.Testing;
using Sidecar.Resilience;

namespace Sidecar.Tests.Resilience;

public sealed class YoungGenerationCapTests
{
    private const long Cap = 128 * 1024;
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();
    private long _allocated = 5_000_000;
    private int _collections = 3;
    private int _induced;

    /// <summary>A GC stand-in: an induced collection counts as one, like the real counter.</summary>
    private YoungGenerationCap NewCap() => new(Cap, Every, _time, () => _allocated, () => _collections, () =>
    {
        _induced++;
        _collections++;
    });

    [Fact]
    public void Check_First_OnlyTakesTheCounters()
    {
        using var cap = NewCap();
        _allocated += Cap * 10; // start-up: far more than the cap, before the first check
        _time.Advance(Every);
        Assert.Equal(0, _induced);
    }

    [Fact]
    public void Check_CapAllocatedSinceLastCollection_InducesOne()
    {
        using var cap = NewCap();
        _time.Advance(Every);
        _allocated += Cap - 1;
        _time.Advance(Every);
        Assert.Equal(0, _induced);
        _allocated += 1;
        _time.Advance(Every);
        Assert.Equal(1, _induced);
    }

    [Fact]
    public void Check_AfterInducedCollection_CountsFromIt()
    {
        using var cap = NewCap();
        _time.Advance(Every);
        _allocated += Cap;
        _time.Advance(Every);
        _allocated += Cap / 2;
        _time.Advance(Every);
        Assert.Equal(1, _induced);
        _allocated += Cap / 2;
        _time.Advance(Every);
        Assert.Equal(2, _induced);
    }

    [Fact]
    public void Check_GcCollectedOnItsOwn_NoneInduced()
    {
        using var cap = NewCap();
        _time.Advance(Every);
        // Allocating fast: the GC's own budget runs out between checks, every time.
        for (var i = 0; i < 5; i++)
        {
            _allocated += Cap * 8;
            _collections++;
            _time.Advance(Every);
        }
        Assert.Equal(0, _induced);
    }

    [Fact]
    public void Check_SlowTrickle_OneCollectionPerCapAllocated()
    {
        using var cap = NewCap();
        _time.Advance(Every);
        // ~1.5 KB/s for ten minutes, as a watch under the operator's 1 s status churn.
        for (var i = 0; i < 60; i++)
        {
            _allocated += 15_000;
            _time.Advance(Every);
        }
        Assert.Equal(60 / 9, _induced); // every 9th check: 9 × 15 KB is the first multiple past 128 KiB
    }

    [Fact]
    public void Dispose_NoMoreChecks()
    {
        var cap = NewCap();
        _time.Advance(Every);
        cap.Dispose();
        _allocated += Cap * 2;
        _time.Advance(Every * 3);
        Assert.Equal(0, _induced);
    }
}
