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

    /// <summary>Parses a present value, or returns <paramref name="fallback"/>.</summary>
    public T Get<T>(SettingDescriptor setting, T fallback, Func<string, T> parse, string expected)
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
            throw new SettingsException($"invalid value '{shown}' for {origin}: expected {expected}{detail}");
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
