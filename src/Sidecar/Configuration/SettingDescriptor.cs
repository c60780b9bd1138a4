namespace Sidecar.Configuration;

/// <summary>
/// One setting as the user sees it: its flag, its environment variable, its default and a line of help.
/// The typed part (default value, parser) is <see cref="Setting{T}"/>; this base is what the command line,
/// the help text and the docs tables need.
/// </summary>
/// <param name="Key">The flag without dashes, e.g. <c>ip-range</c>; also names env-only settings.</param>
/// <param name="Env">The environment variable, <c>SIDECAR_</c> + upper snake case of the key.</param>
/// <param name="Help">One line of help, shown by <c>--help</c> and in the docs tables.</param>
internal abstract record SettingDescriptor(string Key, string Env, string Help)
{
    /// <summary>The flag without dashes; null when the setting is environment-only (secrets).</summary>
    public string? Flag => IsEnvOnly ? null : Key;

    /// <summary>Never a flag, so the value never shows in <c>ps</c>.</summary>
    public bool IsEnvOnly { get; init; }

    /// <summary>A conventional variable read when <see cref="Env"/> is unset (e.g. <c>KUBECONFIG</c>).</summary>
    public string? FallbackEnv { get; init; }

    /// <summary>A boolean flag that may stand alone (<c>--x</c> means true).</summary>
    public bool IsSwitch { get; init; }

    /// <summary>Redacted wherever settings are printed.</summary>
    public bool IsSecret { get; init; }

    /// <summary>What a valid value looks like, for the error that names the flag.</summary>
    public required string Expected { get; init; }

    /// <summary>The default as <c>--help</c> and the docs show it.</summary>
    public abstract string DefaultText { get; }

    /// <summary>True when <see cref="DefaultText"/> is a value one could type (docs show it as code).</summary>
    public abstract bool DefaultIsValue { get; }

    /// <summary>Parses a value and throws <see cref="FormatException"/> when it is bad; the value itself is dropped.
    /// The injection webhook checks annotations with it, so a Pod is denied for exactly what the flag would refuse.</summary>
    public abstract void Validate(string value);

    public string FlagText => Flag is null ? "(env only)" : "--" + Flag;
}
