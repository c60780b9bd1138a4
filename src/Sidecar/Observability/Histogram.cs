namespace Sidecar.Observability;

/// <summary>
/// A Prometheus histogram with fixed upper bounds (seconds). Observations are lock-free; a scrape may see
/// a count one observation ahead of the sum, which Prometheus tolerates.
/// </summary>
internal sealed class Histogram(double[] upperBounds)
{
    private readonly long[] _buckets = new long[upperBounds.Length];
    private long _count;
    private long _sumMicros;

    /// <summary>Bounds for work that should take milliseconds: 0.1 ms … 2.5 s.</summary>
    public static double[] MillisecondBounds => [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

    public IReadOnlyList<double> UpperBounds => upperBounds;

    public long Count => Interlocked.Read(ref _count);

    public double Sum => Interlocked.Read(ref _sumMicros) / 1e6;

    public void Observe(TimeSpan duration)
    {
        var seconds = duration.TotalSeconds;
        for (var i = 0; i < upperBounds.Length; i++)
        {
            if (seconds <= upperBounds[i])
            {
                Interlocked.Increment(ref _buckets[i]);
                break;
            }
        }
        Interlocked.Add(ref _sumMicros, (long)(seconds * 1e6));
        Interlocked.Increment(ref _count);
    }

    /// <summary>Cumulative count of observations ≤ the bound at <paramref name="index"/>.</summary>
    public long CumulativeCount(int index)
    {
        long total = 0;
        for (var i = 0; i <= index; i++)
        {
            total += Interlocked.Read(ref _buckets[i]);
        }
        return total;
    }
}
