using Microsoft.Extensions.Time.Testing;
using Sidecar.Resilience;

namespace Sidecar.Tests.Resilience;

public sealed class ConnectionSlotsTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void EvictIdlest_OneBusyOneIdle_IdleOneClosedAndPlaceFreed()
    {
        using var slots = new ConnectionSlots(4, _time);
        var busy = slots.TryTake(out _)!;
        _time.Advance(TimeSpan.FromSeconds(1));
        var idle = slots.TryTake(out _)!;
        busy.Busy();

        Assert.True(slots.EvictIdlest());

        Assert.True(idle.Closing.IsCancellationRequested);
        Assert.True(idle.WasEvicted);
        Assert.False(busy.Closing.IsCancellationRequested);
        Assert.Equal(1, slots.Count);
    }

    [Fact]
    public void EvictIdlest_AllBusy_False()
    {
        using var slots = new ConnectionSlots(4, _time);
        slots.TryTake(out _)!.Busy();

        Assert.False(slots.EvictIdlest());
        Assert.Equal(1, slots.Count);
    }

    [Fact]
    public void CloseAfter_DeadlinePassed_SweepClosesAsTimedOut()
    {
        using var slots = new ConnectionSlots(4, _time);
        var slot = slots.TryTake(out _)!;
        var other = slots.TryTake(out _)!;
        slot.CloseAfter(TimeSpan.FromSeconds(2));
        other.CloseAfter(TimeSpan.FromSeconds(10));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(slot.Closing.IsCancellationRequested);

        _time.Advance(TimeSpan.FromSeconds(1) + ConnectionSlots.SweepPeriod);
        Assert.True(slot.TimedOut);
        Assert.False(other.Closing.IsCancellationRequested);
    }

    [Fact]
    public void CloseAfter_ActiveAgainBeforeDeadline_DeadlineMoves()
    {
        using var slots = new ConnectionSlots(4, _time);
        var slot = slots.TryTake(out _)!;
        slot.CloseAfter(TimeSpan.FromSeconds(2));
        _time.Advance(TimeSpan.FromSeconds(1.5));

        slot.CloseAfter(TimeSpan.FromSeconds(2));
        _time.Advance(TimeSpan.FromSeconds(1.5));

        Assert.False(slot.Closing.IsCancellationRequested);
    }

    [Fact]
    public void TryTake_Full_EvictsLeastRecentlyActiveNotOldest()
    {
        using var slots = new ConnectionSlots(2, _time);
        var first = slots.TryTake(out _)!;
        _time.Advance(TimeSpan.FromSeconds(1));
        var second = slots.TryTake(out _)!;
        _time.Advance(TimeSpan.FromSeconds(1));
        first.Busy();
        first.Idle(); // the first connection answered a query: now the most recently active

        var third = slots.TryTake(out var evicted);

        Assert.NotNull(third);
        Assert.Same(second, evicted);
        Assert.False(first.Closing.IsCancellationRequested);
        Assert.Equal(2, slots.Count);
    }

    [Fact]
    public void TryTake_FullAndIdlestBusy_EvictsNextIdle()
    {
        using var slots = new ConnectionSlots(2, _time);
        var first = slots.TryTake(out _)!;
        var second = slots.TryTake(out _)!;
        first.Busy();

        slots.TryTake(out var evicted);

        Assert.Same(second, evicted);
    }
}
