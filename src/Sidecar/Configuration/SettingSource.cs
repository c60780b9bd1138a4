namespace Sidecar.Configuration;

/// <summary>
/// Looks a setting up with the precedence flag, then environment variable, then default, and remembers
/// where each value came from so an error can name the flag or variable the user actually set.
/// </summary>
internal sealed class SettingSource(CommandLine commandLine, Func<string, string?> environment)
{
    public bool TryGet(SettingDescriptor setting, out string value, out string origin)
    {
        if (commandLine.TryGet(setting, out value))
        {
            origin = setting.FlagText;
            return true;
        }
        foreach (var name in EnvNames(setting))
        {
            if (environment(name) is { } fromEnv)
            {
                value = fromEnv;
                origin = name;
                return true;
            }
        }
        value = "";
        origin = "";
        return false;
    }

    /// <summary>Parses a present value with the setting's parser, or returns its default.</summary>
    public T Get<T>(Setting<T> setting) => Get(setting, setting.Default, setting.Parse);

    /// <summary>Like <see cref="Get{T}(Setting{T})"/>, for a default known only at run time (resolv.conf).</summary>
    public T Get<T>(Setting<T> setting, T fallback) => Get(setting, fallback, setting.Parse);

    /// <summary>Like <see cref="Get{T}(Setting{T})"/>, for a parser that depends on another setting.</summary>
    public T Get<T>(Setting<T> setting, Func<string, T> parse) => Get(setting, setting.Default, parse);

    private T Get<T>(Setting<T> setting, T fallback, Func<string, T> parse)
    {
        if (!TryGet(setting, out var raw, out var origin))
        {
            return fallback;
        }
        try
        {
            return parse(raw);
        }
        catch (FormatException e)
        {
            var detail = string.IsNullOrEmpty(e.Message) ? "" : $" ({e.Message})";
            var shown = setting.IsSecret ? "<redacted>" : raw;
            throw new SettingsException($"invalid value '{shown}' for {origin}: expected {setting.Expected}{detail}");
        }
    }

    private static IEnumerable<string> EnvNames(SettingDescriptor setting)
    {
        yield return setting.Env;
        if (setting.FallbackEnv is { } fallback)
        {
            yield return fallback;
        }
    }
}
