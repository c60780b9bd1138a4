namespace Sidecar.Hosting;

internal static partial class VersionInfo
{
    /// <summary>The informational version stamped at build time (version plus source revision when known), written
    /// by the project's WriteVersionConstant target.</summary>
    public static string Current => Stamped;
}
