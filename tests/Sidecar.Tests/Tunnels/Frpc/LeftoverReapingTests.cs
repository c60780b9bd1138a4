using System.Diagnostics;
using System.Globalization;
using Sidecar.Tunnels.Frpc;
using Sidecar.Tests.Support;

namespace Sidecar.Tests.Tunnels.Frpc;

/// <summary>
/// A pid record (<c>frpc-N.pid</c>: pid, start time, config path) gets a process SIGKILLed at the next start
/// only when that process is provably the frpc an earlier run started: same uid, the configured frpc
/// executable, a config file of this state directory on its command line, the recorded start time.
/// Anything else is logged and left running. frpc is the stand-in.
/// </summary>
public sealed class LeftoverReapingTests
{
    private static void PlantRecord(string stateDir, string name, int pid, string configPath) =>
        File.WriteAllText(Path.Combine(stateDir, name + ".pid"),
            string.Create(CultureInfo.InvariantCulture, $"{pid} {ProcInfo.StartTime(pid)}\n{configPath}\n"));

    /// <summary>A long-running shell whose command line names <paramref name="configPath"/> after "-c".</summary>
    private static Process ShellNaming(string configPath, string? asUid = null)
    {
        // "; :" keeps the shell itself running (no exec of the last command), so its pid stays the shell's.
        var info = asUid is null
            ? new ProcessStartInfo("/bin/sh", ["-c", "sleep 60; :", "sh", "-c", configPath])
            : new ProcessStartInfo("setpriv", [$"--reuid={asUid}", $"--regid={asUid}", "--clear-groups", "/bin/sh", "-c", "sleep 60; :", "sh", "-c", configPath]);
        return Process.Start(info)!;
    }

    private static async Task RunningAsync(Process process, string configPath) =>
        await TestNet.UntilAsync(() => ProcInfo.CommandLine(process.Id).Contains(configPath), "planted process running");

    [Fact]
    public async Task Start_RecordedProcessIsNotTheConfiguredFrpc_LeftRunning()
    {
        await using var h = new FrpcHarness();
        var config = Path.Combine(h.StateDir, "frpc-1.toml");
        using var shell = ShellNaming(config);
        await RunningAsync(shell, config);
        PlantRecord(h.StateDir, "frpc-1", shell.Id, config);

        await h.StartAsync();

        Assert.False(shell.HasExited);
        Assert.True(h.Logs.Contains($"Left pid {shell.Id} running"));
        shell.Kill();
    }

    [Fact]
    public async Task Start_RecordedConfigOutsideStateDir_LeftRunning()
    {
        await using var h = new FrpcHarness();
        using var elsewhere = new TempDirectory();
        var config = elsewhere.File("frpc-1.toml");
        File.WriteAllText(config, $"[webServer]\nport = {FreePort.Tcp()}\n");
        using var frpc = Process.Start(new ProcessStartInfo(FrpcHarness.FakeFrpcPath) { ArgumentList = { "-c", config }, RedirectStandardOutput = true })!;
        await RunningAsync(frpc, config);
        PlantRecord(h.StateDir, "frpc-1", frpc.Id, config);

        await h.StartAsync();

        Assert.False(frpc.HasExited);
        Assert.True(h.Logs.Contains($"Left pid {frpc.Id} running"), string.Join("\n", h.Logs.Lines));
        frpc.Kill();
    }

    [SkippableFact]
    public async Task Start_RecordedProcessOfAnotherUser_LeftRunning()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "starting a process as another user needs root");
        Skip.If(ExternalTool.Find("setpriv") is null, "setpriv is not installed (Debian package util-linux)");
        // frpc is /bin/sh here, so only the uid tells the planted process apart from one of ours.
        await using var h = new FrpcHarness(frpcPath: "/bin/sh");
        var config = Path.Combine(h.StateDir, "frpc-1.toml");
        using var shell = ShellNaming(config, asUid: "65534");
        await TestNet.UntilAsync(() => ProcInfo.CommandLine(shell.Id) is [.., var last] && last == config
            && File.ReadLines($"/proc/{shell.Id}/status").Any(l => l.StartsWith("Uid:\t65534", StringComparison.Ordinal)), "planted process running as 65534");
        PlantRecord(h.StateDir, "frpc-1", shell.Id, config);

        await h.StartAsync();

        Assert.False(shell.HasExited);
        Assert.True(h.Logs.Contains($"Left pid {shell.Id} running"));
        shell.Kill();
    }
}
