using Sidecar.Configuration;

namespace Sidecar.Injection;

/// <summary>
/// Pod annotations as sidecar settings. One naming rule: <c>sidecar.kubeinfra.io/</c> + the setting's flag name
/// (<c>mapped-services</c>, <c>ip-range</c>, <c>dns-miss</c>, ...), passed to the container as the setting's
/// <c>SIDECAR_*</c> variable and checked with the very parser the sidecar applies to that flag.
/// </summary>
internal static class AnnotationSettings
{
    /// <summary>Settings a Pod may not set: the webhook owns the addresses its probes and dnsConfig point at
    /// and the state directory it mounts; a CA file would be read on the webhook's disk, not the Pod's; the
    /// token is environment-only (a Secret, never an annotation anyone can read).</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        SettingCatalog.AdminAddr.Key, SettingCatalog.DnsAddr.Key, SettingCatalog.StateDir.Key, SettingCatalog.FrpsTlsCaFile.Key,
    };

    public static IReadOnlyDictionary<string, SettingDescriptor> ByAnnotation { get; } = SettingCatalog.All
        .Where(s => s.Flag is not null && !Reserved.Contains(s.Key))
        .ToDictionary(s => InjectionSelection.Prefix + s.Key, StringComparer.Ordinal);

    /// <summary>The settings the Pod's annotations give, as (variable, value), in annotation order; or the first
    /// problem, naming the annotation and its value.</summary>
    public static bool TryRead(IReadOnlyDictionary<string, string>? annotations,
        out List<KeyValuePair<string, string>> environment, out string? error)
    {
        environment = [];
        error = null;
        if (annotations is null)
        {
            return true;
        }
        foreach (var (key, value) in annotations.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (!key.StartsWith(InjectionSelection.Prefix, StringComparison.Ordinal))
            {
                continue;
            }
            if (key == InjectionSelection.StatusAnnotation)
            {
                continue;
            }
            if (key == InjectionSelection.InjectAnnotation)
            {
                if (value.Trim() is not ("true" or "false"))
                {
                    error = $"annotation {key}: invalid value '{value}': expected true or false";
                    return false;
                }
                continue;
            }
            if (!ByAnnotation.TryGetValue(key, out var setting))
            {
                // A typo must not silently fall back to a default the user did not choose.
                error = Reserved.Contains(key[InjectionSelection.Prefix.Length..])
                    ? $"annotation {key}: set by the injector, not by the Pod"
                    : $"annotation {key}: unknown setting";
                return false;
            }
            try
            {
                setting.Validate(value);
            }
            catch (FormatException e)
            {
                var detail = string.IsNullOrEmpty(e.Message) ? "" : $" ({e.Message})";
                error = $"annotation {key}: invalid value '{value}': expected {setting.Expected}{detail}";
                return false;
            }
            environment.Add(new(setting.Env, value));
        }
        return true;
    }
}
