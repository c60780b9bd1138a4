namespace Sidecar.Configuration;

/// <summary>The flags given on the command line, before they are merged with the environment.</summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public bool ShowHelp { get; private set; }
    public bool ShowVersion { get; private set; }

    public bool TryGet(SettingDescriptor setting, out string value) =>
        _values.TryGetValue(setting.Key, out value!);

    /// <summary>Parses <c>--flag value</c>, <c>--flag=value</c> and standalone switches.</summary>
    /// <exception cref="SettingsException">An unknown flag, a missing value or a positional argument.</exception>
    public static CommandLine Parse(IReadOnlyList<string> args) => Parse(args, SettingCatalog.All);

    /// <summary>Like <see cref="Parse(IReadOnlyList{string})"/>, for a subcommand with its own settings.</summary>
    public static CommandLine Parse(IReadOnlyList<string> args, IReadOnlyList<SettingDescriptor> catalog)
    {
        var result = new CommandLine();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                result.ShowHelp = true;
                continue;
            }
            if (arg is "--version")
            {
                result.ShowVersion = true;
                continue;
            }
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new SettingsException($"unexpected argument '{arg}': settings are given as --name value (see --help)");
            }

            var body = arg.AsSpan(2);
            var equals = body.IndexOf('=');
            var name = (equals < 0 ? body : body[..equals]).ToString();
            var setting = Find(catalog, name)
                ?? throw new SettingsException($"unknown flag '--{name}' (see --help for the list of settings)");

            string value;
            if (equals >= 0)
            {
                value = body[(equals + 1)..].ToString();
            }
            else if (setting.IsSwitch && (i + 1 >= args.Count || !ValueParsers.LooksLikeBool(args[i + 1])))
            {
                value = "true";
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                throw new SettingsException($"flag '--{name}' needs a value: {setting.Help}");
            }
            result._values[setting.Key] = value;
        }
        return result;
    }

    private static SettingDescriptor? Find(IReadOnlyList<SettingDescriptor> catalog, string flag)
    {
        foreach (var setting in catalog)
        {
            if (setting.Flag == flag)
            {
                return setting;
            }
        }
        return null;
    }
}
