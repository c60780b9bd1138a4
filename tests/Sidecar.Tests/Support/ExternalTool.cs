using Sidecar.Tunnels.Frpc;

namespace Sidecar.Tests.Support;

/// <summary>
/// Finds Debian peers (dig, socat, getent …) on PATH. Tests that need one use [SkippableFact] and
/// <see cref="Require"/>, so a machine with only the .NET SDK still runs the rest of the suite;
/// `bash .ci/install-packages.sh` installs them and CI always has them.
/// </summary>
internal static class ExternalTool
{
    public static string? Find(string name) => FrpcLocator.Resolve(name, Environment.GetEnvironmentVariable("PATH"));

    /// <summary>Returns the tool's path, or skips the test naming the package to install.</summary>
    public static string Require(string name, string debianPackage)
    {
        var path = Find(name);
        Skip.If(path is null, $"{name} is not installed (Debian package {debianPackage}; run bash .ci/install-packages.sh)");
        return path!;
    }
}
