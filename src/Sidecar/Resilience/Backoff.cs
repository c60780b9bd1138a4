namespace Sidecar.Resilience;

/// <summary>
/// Capped exponential backoff with jitter, as a pure function so it can be tested without a clock.
/// "Equal jitter": half the delay is fixed, half random, so retries never bunch up at zero and many
/// failing children, listeners or API clients spread out instead of retrying in lockstep.
/// </summary>
internal static class Backoff
{
    /// <summary>Beyond this many doublings every delay is the cap anyway; avoids overflow.</summary>
    private const int MaxDoublings = 30;

    /// <param name="attempt">0 for the first retry after a failure.</param>
    /// <param name="initial">The base delay of the first retry.</param>
    /// <param name="max">No delay exceeds this.</param>
    /// <param name="random01">A random number in [0, 1).</param>
    public static TimeSpan Delay(int attempt, TimeSpan initial, TimeSpan max, double random01)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        if (initial <= TimeSpan.Zero || max <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }
        var doublings = Math.Min(attempt, MaxDoublings);
        var ceiling = Math.Min(initial.Ticks * Math.Pow(2, doublings), max.Ticks);
        var jitter = Math.Clamp(random01, 0, 1);
        return TimeSpan.FromTicks((long)(ceiling / 2 + ceiling / 2 * jitter));
    }

    /// <summary>The same with <see cref="Random.Shared"/> as the source of jitter.</summary>
    public static TimeSpan Delay(int attempt, TimeSpan initial, TimeSpan max) =>
        Delay(attempt, initial, max, Random.Shared.NextDouble());
}
