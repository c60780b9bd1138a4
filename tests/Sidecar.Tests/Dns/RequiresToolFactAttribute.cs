namespace Sidecar.Tests.Dns;

/// <summary>A fact that is skipped, with the reason, when a Debian tool it drives is not installed.</summary>
public sealed class RequiresToolFactAttribute : FactAttribute
{
    public RequiresToolFactAttribute(string tool, bool needsRoot = false)
    {
        if (ExternalTool.Find(tool) is null)
        {
            Skip = $"'{tool}' is not installed (Debian package: {ExternalTool.PackageOf(tool)})";
        }
        else if (needsRoot && !Environment.IsPrivilegedProcess)
        {
            Skip = "needs root (a private mount namespace via unshare --mount to swap /etc/resolv.conf)";
        }
    }
}
