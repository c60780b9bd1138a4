namespace Sidecar.Discovery.Sources;

/// <summary>Capped exponential backoff with "equal jitter": half the delay is fixed, half random. Pure.</summary>
internal static class Backoff
{
    public static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);

    /// <param name="attempt">0 for the first retry.</param>
    /// <param name="random">A number in [0, 1), e.g. <see cref="Random.NextDouble"/>.</param>
    public static TimeSpan Delay(int attempt, double random, TimeSpan initial, TimeSpan cap)
    {
        var exponent = Math.Clamp(attempt, 0, 30);
        var ceiling = Math.Min(initial.TotalMilliseconds * Math.Pow(2, exponent), cap.TotalMilliseconds);
        var jitter = Math.Clamp(random, 0, 1);
        return TimeSpan.FromMilliseconds(ceiling / 2 + ceiling / 2 * jitter);
    }

    public static TimeSpan Delay(int attempt, double random) => Delay(attempt, random, Initial, Cap);
}
