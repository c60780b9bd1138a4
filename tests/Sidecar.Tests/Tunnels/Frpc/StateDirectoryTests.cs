using System.Diagnostics;
using Sidecar.Endpoints;
using Sidecar.Hosting;
using Sidecar.Tunnels;
using Sidecar.Tunnels.Forwarding;
using Sidecar.Tunnels.Frpc;
using Sidecar.Tests.Support;

namespace Sidecar.Tests.Tunnels.Frpc;

/// <summary>
/// The state directory holds the frps token, secret keys and frpc's admin password: it is used only when
/// nobody but us can have made or changed it (a symlink, another owner or a group/other-writable mode is
/// refused at start-up), and files in it never follow a link planted in it. frpc is the stand-in.
/// </summary>
public sealed class StateDirectoryTests
{
    private const UnixFileMode Mode0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode Mode0755 = Mode0700 | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
    private const UnixFileMode Mode0777 = (UnixFileMode)0b111_111_111;

    private static TunnelDriver Driver(string stateDir, CapturingLoggerFactory logs) =>
        new(new FrpcOptions(stateDir, FrpcHarness.FakeFrpcPath), new ForwarderOptions(), TimeSpan.FromSeconds(5), logs, TimeProvider.System);

    private static async Task<string> RefusedAsync(string stateDir)
    {
        var logs = new CapturingLoggerFactory();
        await using var driver = Driver(stateDir, logs);
        var e = await Assert.ThrowsAsync<StartupException>(() => driver.StartAsync(CancellationToken.None));
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    [Fact]
    public async Task Start_StateDirIsSymlink_RefusedAndTargetUntouched()
    {
        using var temp = new TempDirectory();
        var target = temp.File("elsewhere");
        Directory.CreateDirectory(target);
        File.SetUnixFileMode(target, Mode0755);
        File.WriteAllText(Path.Combine(target, "frpc-1.toml"), "not ours");
        var link = temp.File("state");
        File.CreateSymbolicLink(link, target);

        var message = await RefusedAsync(link);

        Assert.Contains("symbolic link", message);
        Assert.Contains("--state-dir", message);
        Assert.Equal(Mode0755, File.GetUnixFileMode(target));
        Assert.Equal("not ours", File.ReadAllText(Path.Combine(target, "frpc-1.toml")));
    }

    [Fact]
    public async Task Start_StateDirWritableByOthers_RefusedAndModeKept()
    {
        using var temp = new TempDirectory();
        var dir = temp.File("state");
        Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, Mode0777);

        var message = await RefusedAsync(dir);

        Assert.Contains("writable by group or others", message);
        Assert.Equal(Mode0777, File.GetUnixFileMode(dir));
    }

    [SkippableFact]
    public async Task Start_StateDirOwnedByAnotherUser_Refused()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "giving a directory to another user needs root");
        using var temp = new TempDirectory();
        var dir = temp.File("state");
        Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, Mode0700);
        Chown(dir, 65534);

        var message = await RefusedAsync(dir);

        Assert.Contains("owned by uid 65534", message);
    }

    [Fact]
    public async Task Start_StateDirMissing_Created0700()
    {
        using var temp = new TempDirectory();
        var dir = temp.File("state");
        var logs = new CapturingLoggerFactory();
        await using var driver = Driver(dir, logs);

        await driver.StartAsync(CancellationToken.None);

        Assert.Equal(Mode0700, File.GetUnixFileMode(dir));
    }

    [Fact]
    public async Task Open_SymlinkPlantedAtTempFileName_ConfigNotWrittenThroughIt()
    {
        await using var h = new FrpcHarness();
        h.Route("a.svc");
        await h.StartAsync();
        var victim = Path.Combine(Path.GetDirectoryName(h.StateDir)!, "victim");
        File.WriteAllText(victim, "untouched");
        // Where the sidecar writes frpc-1.toml before renaming it into place.
        File.CreateSymbolicLink(Path.Combine(h.StateDir, $"frpc-1.toml.{Environment.ProcessId}.tmp"), victim);
        var tunnel = TestTunnels.Visitor(ProxyType.Stcp, "a.svc", FreePort.Tcp());

        await h.OpenAsync(tunnel);
        await h.ListeningAsync(tunnel);

        Assert.Equal("untouched", File.ReadAllText(victim));
        var config = Path.Combine(h.StateDir, "frpc-1.toml");
        Assert.False(new FileInfo(config).Attributes.HasFlag(FileAttributes.ReparsePoint));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(config));
        Assert.Contains("s3cret-token", File.ReadAllText(config));
    }

    [Fact]
    public async Task Stop_SecondSidecarRefusedByLock_FirstSidecarsFilesKept()
    {
        await using var first = new FrpcHarness();
        first.Route("a.svc");
        var running = TestTunnels.Visitor(ProxyType.Stcp, "a.svc", FreePort.Tcp());
        await first.StartAsync(running);
        await first.ListeningAsync(running);
        var firstFiles = Directory.GetFiles(first.StateDir, "frpc-*").Order().ToArray();
        Assert.Contains(Path.Combine(first.StateDir, "frpc-1.toml"), firstFiles);
        var logs = new CapturingLoggerFactory();
        var second = new TunnelDriver(first.Options, new(), TimeSpan.FromSeconds(1), logs, TimeProvider.System);
        var visitor = TestTunnels.Visitor(ProxyType.Stcp, "b.svc", FreePort.Tcp());
        await second.StartAsync(CancellationToken.None);
        await second.OpenAsync([visitor], CancellationToken.None);
        await TestNet.UntilAsync(() => second.GetState(visitor) == TunnelState.Failed, "second sidecar's visitor failed");

        using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await second.StopAsync(grace.Token);
        }
        await second.DisposeAsync();

        Assert.Equal(firstFiles, Directory.GetFiles(first.StateDir, "frpc-*").Order().ToArray());
        Assert.Equal(TunnelState.Listening, first.Driver.GetState(running));
    }

    [Fact]
    public void Open_OwnDirectoryReadableByOthers_TightenedTo0700()
    {
        using var temp = new TempDirectory();
        var dir = temp.File("state");
        Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, Mode0755);

        using var opened = StateDirectory.Open(dir);

        Assert.Equal(Mode0700, File.GetUnixFileMode(dir));
    }

    [Fact]
    public void WriteAtomic_NewFile_Mode0600WithTheText()
    {
        using var temp = new TempDirectory();
        using var dir = StateDirectory.Open(temp.File("state"));

        dir.WriteAtomic("frpc-1.toml", "token = \"x\"\n");

        var path = dir.PathOf("frpc-1.toml");
        Assert.Equal(StateDirectory.FileMode, File.GetUnixFileMode(path));
        Assert.Equal("token = \"x\"\n", File.ReadAllText(path));
        Assert.Equal(["frpc-1.toml"], dir.Names());
    }

    [Fact]
    public void WriteAtomic_ExistingWorldReadableFile_ReplacedBy0600File()
    {
        using var temp = new TempDirectory();
        using var dir = StateDirectory.Open(temp.File("state"));
        var path = dir.PathOf("frpc-1.toml");
        File.WriteAllText(path, "old content that is longer than the new one");
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
        using var heldOpen = File.OpenRead(path);

        dir.WriteAtomic("frpc-1.toml", "new");

        // A reader that opened the old file still sees the whole old file: the new one came by rename(2).
        Assert.Equal("old content that is longer than the new one", new StreamReader(heldOpen).ReadToEnd());
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(StateDirectory.FileMode, File.GetUnixFileMode(path));
        Assert.Equal(["frpc-1.toml"], dir.Names());
    }

    [Fact]
    public void WriteAtomic_SymlinkAtTheName_ReplacedNotFollowed()
    {
        using var temp = new TempDirectory();
        using var dir = StateDirectory.Open(temp.File("state"));
        var victim = temp.File("victim");
        File.WriteAllText(victim, "untouched");
        File.CreateSymbolicLink(dir.PathOf("frpc-1.toml"), victim);

        dir.WriteAtomic("frpc-1.toml", "secret");

        Assert.Equal("untouched", File.ReadAllText(victim));
        Assert.Null(new FileInfo(dir.PathOf("frpc-1.toml")).LinkTarget);
        Assert.Equal("secret", File.ReadAllText(dir.PathOf("frpc-1.toml")));
    }

    [Fact]
    public void WriteAtomic_PathSwappedForSymlinkAfterOpen_WritesStayInTheOpenedDirectory()
    {
        using var temp = new TempDirectory();
        var path = temp.File("state");
        using var dir = StateDirectory.Open(path);
        var other = temp.File("other");
        Directory.CreateDirectory(other);
        // Someone renames our directory away and puts a link to theirs in its place.
        Directory.Move(path, temp.File("moved"));
        File.CreateSymbolicLink(path, other);

        dir.WriteAtomic("frpc-1.toml", "secret");

        Assert.Empty(Directory.GetFileSystemEntries(other));
        Assert.Equal("secret", File.ReadAllText(Path.Combine(temp.File("moved"), "frpc-1.toml")));
        Assert.Equal(["frpc-1.toml"], dir.Names());
    }

    [Fact]
    public void TryLock_HeldByAnotherOpen_Null()
    {
        using var temp = new TempDirectory();
        using var first = StateDirectory.Open(temp.File("state"));
        using var second = StateDirectory.Open(temp.File("state"));
        using var held = first.TryLock("sidecar.lock");

        Assert.NotNull(held);
        Assert.Null(second.TryLock("sidecar.lock"));
    }

    [Fact]
    public void Location_NoneConfigured_FreshPrivateDirectoryRemovedOnRelease()
    {
        var location = new StateDirectoryLocation(null);
        var dir = location.Open();
        var path = dir.Path;
        dir.WriteAtomic("frpc-1.toml", "secret");

        Assert.StartsWith(Path.GetTempPath(), path + "/");
        Assert.Equal(Mode0700, File.GetUnixFileMode(path));
        location.Release(dir);

        Assert.False(Directory.Exists(path));
    }

    internal static void Chown(string path, int uid)
    {
        using var chown = Process.Start(new ProcessStartInfo("chown", [$"{uid}:{uid}", path]))!;
        chown.WaitForExit();
        Assert.Equal(0, chown.ExitCode);
    }
}
