using Sidecar.Resilience;

namespace Sidecar.Tests.Resilience;

public sealed class BackoffTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(0, 0.0, 500)]
    [InlineData(0, 0.999999, 1000)]
    [InlineData(1, 0.0, 1000)]
    [InlineData(2, 1.0, 4000)]
    [InlineData(4, 1.0, 16000)]
    [InlineData(5, 1.0, 30000)]
    [InlineData(5, 0.0, 15000)]
    public void Delay_AttemptAndJitter_DoublesWithinHalfToFull(int attempt, double random, int expectedMs)
    {
        var delay = Backoff.Delay(attempt, Initial, Max, random);

        Assert.InRange(delay.TotalMilliseconds, expectedMs - 1, expectedMs + 1);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(31)]
    [InlineData(1000)]
    [InlineData(int.MaxValue)]
    public void Delay_ManyAttempts_NeverExceedsCap(int attempt)
    {
        for (var random = 0.0; random < 1; random += 0.1)
        {
            var delay = Backoff.Delay(attempt, Initial, Max, random);
            Assert.InRange(delay, Max / 2, Max);
        }
    }

    [Fact]
    public void Delay_RandomJitter_SpreadsRetries()
    {
        var delays = Enumerable.Range(0, 50).Select(_ => Backoff.Delay(3, Initial, Max)).Distinct().Count();

        Assert.True(delays > 10, $"only {delays} distinct delays out of 50");
    }

    [Fact]
    public void Delay_NegativeAttempt_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Backoff.Delay(-1, Initial, Max, 0.5));

    [Fact]
    public void Delay_ZeroInitial_IsZero() =>
        Assert.Equal(TimeSpan.Zero, Backoff.Delay(3, TimeSpan.Zero, Max, 0.5));

    [Fact]
    public void Delay_HugeAttempt_StaysWithinCap()
    {
        Assert.InRange(Backoff.Delay(int.MaxValue, Initial, Max, 0.99), Max / 2, Max);
    }

    [Fact]
    public void Delay_RandomOutOfRange_Clamped()
    {
        Assert.Equal(Backoff.Delay(2, Initial, Max, 1.0), Backoff.Delay(2, Initial, Max, 7.0));
        Assert.Equal(Backoff.Delay(2, Initial, Max, 0.0), Backoff.Delay(2, Initial, Max, -1.0));
    }
}
