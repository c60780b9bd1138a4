using System.Net;
using Sidecar.Tests.Support;
using Sidecar.Tunnels;
using Sidecar.Tunnels.Forwarding;
using Sidecar.Tunnels.Frpc;
using Tomlyn;
using Tomlyn.Model;

namespace Sidecar.Tests.Tunnels.Frpc;

/// <summary>
/// A real <see cref="TunnelDriver"/> running the stand-in frpc (tests/FakeFrpc, built next to the tests)
/// through its ordinary --frpc-path, with a private state directory and captured logs.
/// </summary>
internal sealed class FrpcHarness : IAsyncDisposable
{
    public static readonly string FakeFrpcPath = Path.Combine(AppContext.BaseDirectory, "FakeFrpc");

    private readonly TempDirectory _temp = new();

    public FrpcHarness(string? frpcPath = null, TimeSpan? grace = null, TunnelCounters? counters = null)
    {
        StateDir = _temp.File("state");
        Options = new FrpcOptions(StateDir, frpcPath ?? FakeFrpcPath)
        {
            RestartInitial = TimeSpan.FromMilliseconds(200),
            RestartMax = TimeSpan.FromSeconds(1),
            ProbeInterval = TimeSpan.FromMilliseconds(100),
        };
        Driver = new TunnelDriver(Options, new ForwarderOptions(), grace ?? TimeSpan.FromSeconds(5), Logs, TimeProvider.System, counters);
        Directory.CreateDirectory(StateDir);
    }

    public string StateDir { get; }

    public FrpcOptions Options { get; }

    public CapturingLoggerFactory Logs { get; } = new();

    public TunnelDriver Driver { get; }

    public EchoServer Backend { get; } = new();

    public async Task StartAsync(params Tunnel[] tunnels)
    {
        await Driver.StartAsync(CancellationToken.None);
        await OpenAsync(tunnels);
    }

    /// <summary>Visitors of these proxy names relay to the echo backend.</summary>
    public void Route(params string[] proxyNames) =>
        File.AppendAllLines(Path.Combine(StateDir, "fake-backends.txt"), proxyNames.Select(n => $"{n}={Backend.EndPoint}"));

    public async Task OpenAsync(params Tunnel[] tunnels)
    {
        if (tunnels.Length > 0)
        {
            await Driver.OpenAsync(tunnels, CancellationToken.None);
        }
    }

    public Task ListeningAsync(Tunnel tunnel) =>
        TestNet.UntilAsync(() => Driver.GetState(tunnel) == TunnelState.Listening, $"{tunnel} listening");

    public int Pid(Sidecar.Endpoints.FrpsTarget server) => TryPid(server) ?? throw new InvalidOperationException($"no frpc runs for {server}");

    /// <summary>
    /// The frpc child serving <paramref name="server"/>, found as an operator would: a process of ours whose
    /// <c>-c</c> config file names that server's address and port (tokens are not compared).
    /// </summary>
    public int? TryPid(Sidecar.Endpoints.FrpsTarget server)
    {
        foreach (var pid in ChildrenAlive())
        {
            var args = ProcInfo.CommandLine(pid);
            var at = args.ToList().IndexOf("-c");
            TomlTable config;
            try
            {
                config = at >= 0 && at + 1 < args.Count ? TomlSerializer.Deserialize<TomlTable>(File.ReadAllText(args[at + 1]))! : [];
            }
            catch (IOException)
            {
                continue; // removed as the process stops
            }
            if (config.TryGetValue("serverAddr", out var host) && Equals(host, server.Host)
                && config.TryGetValue("serverPort", out var port) && Equals(port, (long)server.Port))
            {
                return pid;
            }
        }
        return null;
    }

    /// <summary>Processes whose command line mentions our state directory: our frpc children.</summary>
    public IReadOnlyList<int> ChildrenAlive() =>
        [.. Directory.GetDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ProcInfo.StartTime(pid) is not null
                && ProcInfo.CommandLine(pid).Any(a => a.StartsWith(StateDir, StringComparison.Ordinal)))];

    public async ValueTask DisposeAsync()
    {
        using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await Driver.StopAsync(grace.Token);
        }
        await Driver.DisposeAsync();
        Backend.Dispose();
        _temp.Dispose();
    }
}
