using Sidecar.Discovery.Sources;

namespace Sidecar.Tests.Discovery;

public sealed class BackoffTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(0, 50, 100)]
    [InlineData(1, 100, 200)]
    [InlineData(3, 400, 800)]
    [InlineData(7, 5000, 10000)]
    [InlineData(1000, 5000, 10000)]
    public void Delay_Attempt_BetweenHalfAndFullOfCappedExponential(int attempt, double minMs, double maxMs)
    {
        Assert.Equal(minMs, Backoff.Delay(attempt, 0.0, Initial, Cap).TotalMilliseconds, 3);
        Assert.Equal(maxMs, Backoff.Delay(attempt, 1.0, Initial, Cap).TotalMilliseconds, 3);
        var mid = Backoff.Delay(attempt, 0.5, Initial, Cap).TotalMilliseconds;
        Assert.InRange(mid, minMs, maxMs);
    }

    [Theory]
    [InlineData(-5)]
    [InlineData(int.MaxValue)]
    public void Delay_ExtremeAttempt_StaysWithinCap(int attempt)
    {
        var delay = Backoff.Delay(attempt, 0.99, Initial, Cap);
        Assert.InRange(delay, TimeSpan.Zero, Cap);
    }

    [Fact]
    public void Delay_RandomOutOfRange_Clamped()
    {
        Assert.Equal(Backoff.Delay(2, 1.0, Initial, Cap), Backoff.Delay(2, 7.0, Initial, Cap));
        Assert.Equal(Backoff.Delay(2, 0.0, Initial, Cap), Backoff.Delay(2, -1.0, Initial, Cap));
    }
}
