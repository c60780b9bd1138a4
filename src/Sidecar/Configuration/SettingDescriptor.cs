namespace Sidecar.Configuration;

/// <summary>
/// One setting as the user sees it: its flag, its environment variable, its default and a line of help.
/// </summary>
/// <param name="Flag">The flag without dashes, e.g. <c>ip-range</c>; null when the setting has no flag (secrets).</param>
/// <param name="Env">The environment variable, <c>SIDECAR_</c> + upper snake case.</param>
/// <param name="FallbackEnv">A conventional variable read when <paramref name="Env"/> is unset (e.g. <c>KUBECONFIG</c>).</param>
/// <param name="IsSwitch">A boolean flag that may stand alone (<c>--x</c> means true).</param>
/// <param name="IsSecret">Redacted wherever settings are printed.</param>
internal sealed record SettingDescriptor(
    string Key,
    string? Flag,
    string Env,
    string DefaultText,
    string Help,
    string? FallbackEnv = null,
    bool IsSwitch = false,
    bool IsSecret = false)
{
    public string FlagText => Flag is null ? "(env only)" : "--" + Flag;
}
