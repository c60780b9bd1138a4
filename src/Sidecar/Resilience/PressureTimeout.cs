namespace Sidecar.Resilience;

/// <summary>
/// A deadline that shortens as connection slots fill: the full value up to <see cref="Threshold"/> occupancy,
/// then falling linearly to the minimum when full (Unbound and BIND also shorten only under load). A client
/// between requests reconnects cheaply; a neighbour holding connections open loses them sooner.
/// </summary>
internal static class PressureTimeout
{
    /// <summary>Below this occupancy the full timeout applies.</summary>
    public const double Threshold = 0.5;

    /// <param name="full">The timeout without pressure.</param>
    /// <param name="minimum">The timeout when every slot is taken.</param>
    /// <param name="occupancy">Fraction of slots taken, 0 to 1.</param>
    public static TimeSpan At(TimeSpan full, TimeSpan minimum, double occupancy)
    {
        if (occupancy <= Threshold)
        {
            return full;
        }
        var pressure = Math.Min(1, (occupancy - Threshold) / (1 - Threshold));
        return full - ((full - minimum) * pressure);
    }
}
