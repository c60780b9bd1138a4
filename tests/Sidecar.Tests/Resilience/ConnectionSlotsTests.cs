using Microsoft.Extensions.Time.Testing;
using Sidecar.Resilience;

namespace Sidecar.Tests.Resilience;

public sealed class ConnectionSlotsTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void EvictIdlest_OneBusyOneIdle_IdleOneClosedAndPlaceFreed()
    {
        var slots = new ConnectionSlots(4, _time);
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
        var slots = new ConnectionSlots(4, _time);
        slots.TryTake(out _)!.Busy();

        Assert.False(slots.EvictIdlest());
        Assert.Equal(1, slots.Count);
    }
}
