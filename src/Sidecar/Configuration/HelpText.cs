using System.Text;

namespace Sidecar.Configuration;

/// <summary>The <c>--help</c> text, generated from <see cref="SettingCatalog"/> so it never drifts.</summary>
internal static class HelpText
{
    public static string Build(string version)
    {
        var text = new StringBuilder();
        text.Append("sidecar ").Append(version).AppendLine(
            " - resolves services registered at an frp server by name and tunnels to them.");
        text.AppendLine();
        text.AppendLine("Usage: sidecar [--flag value | --flag=value]...");
        text.AppendLine("Each setting is taken from its flag, else its environment variable, else its default.");
        text.AppendLine();
        foreach (var setting in SettingCatalog.All)
        {
            text.Append("  ").Append(setting.FlagText.PadRight(24)).Append(' ').AppendLine(setting.Help);
            text.Append(' ', 27).Append("env ").Append(setting.Env);
            if (setting.FallbackEnv is { } fallback)
            {
                text.Append(" or ").Append(fallback);
            }
            text.Append("; default ").AppendLine(setting.DefaultText);
        }
        text.AppendLine();
        text.AppendLine("  --help                   Show this text.");
        text.AppendLine("  --version                Show the version.");
        text.AppendLine();
        text.AppendLine("Exit codes: 0 clean shutdown, 1 start-up failure, 2 bad setting.");
        return text.ToString();
    }
}
