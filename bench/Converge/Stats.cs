namespace Sidecar.Bench;

internal static class Stats
{
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        var rank = Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1);
        return sorted[rank];
    }

    public static string Describe(IReadOnlyList<double> ms) =>
        $"median {Percentile(ms, 50),8:0.000} ms   p99 {Percentile(ms, 99),8:0.000} ms   max {ms.Max(),8:0.000} ms   (n={ms.Count})";
}
