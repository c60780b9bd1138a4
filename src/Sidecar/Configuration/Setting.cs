using System.Globalization;

namespace Sidecar.Configuration;

/// <summary>
/// A setting with its type: the default value (written only here, in <see cref="SettingCatalog"/>) and the
/// parser that turns the flag or variable text into a value.
/// </summary>
internal sealed record Setting<T>(string Key, string Env, string Help) : SettingDescriptor(Key, Env, Help)
{
    /// <summary>The value when neither flag nor variable is set; <see cref="Settings"/> starts from it too.</summary>
    public required T Default { get; init; }

    /// <summary>Throws <see cref="FormatException"/> with a short reason on a bad value.</summary>
    public required Func<string, T> Parse { get; init; }

    /// <summary>Shown instead of the formatted <see cref="Default"/> when the default is not a plain value
    /// (required, derived from resolv.conf, found on PATH).</summary>
    public string? DefaultDescription { get; init; }

    /// <summary>
    /// Writes a value as the user writes it, for types <see cref="Format"/> would name by reflection: an enum's
    /// name is looked up in metadata under Native AOT, ~1 ms for the first one, on the way to the first answer
    /// (the start-up line lists every setting).
    /// </summary>
    public Func<T, string>? Text { get; init; }

    public override string DefaultText => DefaultDescription ?? FormatValue(Default);

    public override void Validate(string value) => _ = Parse(value);

    public override bool DefaultIsValue => DefaultDescription is null && Default is not null;

    public string FormatValue(T value) => Text is { } text ? text(value) : Format(value);

    /// <summary>A value as the user writes it: <c>5s</c>, <c>true</c>, <c>nxdomain</c>.</summary>
    public static string Format(T value) => value switch
    {
        null => "(none)",
        bool b => b ? "true" : "false",
        // Whole hours and minutes as the user would write them (1h, 30m); the rest in seconds.
        TimeSpan t when t >= TimeSpan.FromHours(1) && t.Ticks % TimeSpan.TicksPerHour == 0 => t.TotalHours.ToString("0", CultureInfo.InvariantCulture) + "h",
        TimeSpan t when t >= TimeSpan.FromMinutes(1) && t.Ticks % TimeSpan.TicksPerMinute == 0 => t.TotalMinutes.ToString("0", CultureInfo.InvariantCulture) + "m",
        TimeSpan t => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s",
        Enum e => e.ToString().ToLowerInvariant(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        string text => text,
        System.Collections.IEnumerable items => "[" + string.Join(",", items.Cast<object>()) + "]",
        _ => value.ToString() ?? "",
    };
}
