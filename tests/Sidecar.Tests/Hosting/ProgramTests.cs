using Sidecar.Tests.Support;

namespace Sidecar.Tests.Hosting;

/// <summary>The real executable, as a user runs it.</summary>
public sealed class ProgramTests
{
    [Fact]
    public async Task Main_Version_PrintsVersionAndExitsZero()
    {
        var (code, stdout, _) = await SidecarProcess.RunAsync("--version");

        Assert.Equal(0, code);
        Assert.StartsWith("sidecar ", stdout);
    }

    [Fact]
    public async Task Main_Help_ListsSettingsAndExitsZero()
    {
        var (code, stdout, _) = await SidecarProcess.RunAsync("--help");

        Assert.Equal(0, code);
        Assert.Contains("SIDECAR_MAPPED_SERVICES", stdout);
    }

    [Fact]
    public async Task Main_BadFlag_ExitsTwoWithOneLineNamingIt()
    {
        var (code, stdout, stderr) = await SidecarProcess.RunAsync("--ip-range", "127.1.0.0/24", "--dns-ttl", "soon");

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--dns-ttl", line);
        Assert.Contains("'soon'", line);
    }

    [Fact]
    public async Task Main_FrpcEngineStateDirWritableByOthers_ExitsOneWithOneLineSayingWhyAndWhatToDo()
    {
        using var temp = new Tunnels.TempDirectory();
        var stateDir = temp.File("state");
        Directory.CreateDirectory(stateDir);
        File.SetUnixFileMode(stateDir, (UnixFileMode)0b111_111_111);
        var loopback = FreePort.UniqueLoopback().ToString();

        await using var sidecar = SidecarProcess.Start(
            ["--ip-range", "127.1.0.0/24", "--dns-addr", $"{loopback}:{FreePort.Udp(loopback)}", "--source", "file:/nonexistent.yaml",
             "--admin-addr", "", "--state-dir", stateDir, "--tunnel-engine", "frpc"]);

        Assert.Equal(1, await sidecar.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var line = Assert.Single(sidecar.Stdout.Split('\n'), l => l.Contains("Start-up failed"));
        Assert.Contains($"'{stateDir}' is writable by group or others", line);
        Assert.Contains("give --state-dir a directory owned by this user with mode 0700", line);
    }

    [SkippableTheory]
    [InlineData(SidecarProcess.SIGTERM)]
    [InlineData(SidecarProcess.SIGINT)]
    public async Task Main_Signal_ShutsDownAndExitsZero(int signal)
    {
        // A test runner started in the background of a non-interactive shell inherits SIGINT as ignored,
        // and so does the sidecar it starts (nohup semantics, which the runtime keeps).
        Skip.If(signal == SidecarProcess.SIGINT && SidecarProcess.IsIgnoredHere(signal),
            "SIGINT is ignored in this test process (started in the background), so the child inherits that");

        var loopback = FreePort.UniqueLoopback().ToString();
        await using var sidecar = SidecarProcess.Start(
            ["--ip-range", "127.1.0.0/24", "--dns-addr", $"{loopback}:{FreePort.Udp(loopback)}", "--source", "file:/nonexistent.yaml", "--admin-addr", ""]);
        Assert.True(await sidecar.WaitForOutputAsync("Ready in", TimeSpan.FromSeconds(30)), sidecar.Stdout + sidecar.Stderr);

        sidecar.Signal(signal);

        Assert.Equal(0, await sidecar.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("Stopped in", sidecar.Stdout);
    }
}
