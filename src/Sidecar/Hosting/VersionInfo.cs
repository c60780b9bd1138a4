using System.Reflection;

namespace Sidecar.Hosting;

internal static class VersionInfo
{
    /// <summary>The informational version stamped at build time (version plus source revision when known).</summary>
    public static string Current { get; } =
        typeof(VersionInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? "0.0.0";
}
