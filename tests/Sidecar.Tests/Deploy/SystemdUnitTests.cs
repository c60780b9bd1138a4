using System.Diagnostics;
using Sidecar.Tests.Support;
using Sidecar.Tests.Tunnels;

namespace Sidecar.Tests.Deploy;

/// <summary>deploy/systemd/sidecar.service: the bare-host unit, checked by systemd's own parser where present.</summary>
public sealed class SystemdUnitTests
{
    private static readonly string UnitPath = RepositoryRoot.File("deploy/systemd/sidecar.service");

    [SkippableFact]
    public async Task Unit_SystemdAnalyzeVerify_NoErrorsOrWarnings()
    {
        var analyze = ExternalTool.Require("systemd-analyze", "systemd");
        using var temp = new TempDirectory();
        // verify insists that ExecStart names an existing executable: point it at the one the tests built.
        var unit = temp.File("sidecar.service");
        File.WriteAllText(unit, File.ReadAllText(UnitPath).Replace("ExecStart=/usr/local/bin/sidecar\n", $"ExecStart={SidecarProcess.ExecutablePath}\n", StringComparison.Ordinal));

        using var process = Process.Start(new ProcessStartInfo(analyze, ["verify", unit]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        // Unknown keys and bad values are only warnings (exit 0): any output at all is a failure.
        Assert.True(process.ExitCode == 0 && await stdout == "" && await stderr == "",
            $"systemd-analyze verify: exit {process.ExitCode}\n{await stdout}{await stderr}");
    }

    [Theory]
    [InlineData("DynamicUser=yes")]
    [InlineData("RuntimeDirectory=sidecar")]
    [InlineData("RuntimeDirectoryMode=0700")]
    [InlineData("AmbientCapabilities=CAP_NET_BIND_SERVICE")]
    [InlineData("CapabilityBoundingSet=CAP_NET_BIND_SERVICE")]
    [InlineData("NoNewPrivileges=yes")]
    [InlineData("ProtectSystem=strict")]
    [InlineData("ProtectHome=yes")]
    [InlineData("PrivateTmp=yes")]
    [InlineData("PrivateDevices=yes")]
    [InlineData("SystemCallFilter=@system-service")]
    [InlineData("KillMode=control-group")]
    public void Unit_Sandboxing_Present(string directive)
    {
        var lines = File.ReadAllLines(UnitPath);

        Assert.Contains(directive, lines);
    }

    [Fact]
    public void Unit_StateDirectory_IsSystemdsRuntimeDirectoryNotAnExplicitPath()
    {
        var text = File.ReadAllText(UnitPath);

        // $RUNTIME_DIRECTORY is the sidecar's default state directory; an explicit one would bypass it.
        Assert.DoesNotContain("SIDECAR_STATE_DIR", text, StringComparison.Ordinal);
        Assert.DoesNotContain("--state-dir", text, StringComparison.Ordinal);
    }
}
