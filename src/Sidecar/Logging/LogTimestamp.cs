namespace Sidecar.Logging;

/// <summary>The timestamp both log formats start with: UTC, milliseconds, <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>.</summary>
internal static class LogTimestamp
{
    public const int Length = 24;

    public static ReadOnlySpan<char> Format(DateTimeOffset utcNow, Span<char> destination)
    {
        utcNow.UtcDateTime.TryFormat(destination, out var written, "yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        return destination[..written];
    }
}
