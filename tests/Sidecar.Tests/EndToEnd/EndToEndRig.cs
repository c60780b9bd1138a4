using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Sidecar.Tests.Discovery.StandIn;
using Sidecar.Tests.Dns;
using Sidecar.Tests.Support;
using Sidecar.Tests.Tunnels;
using Sidecar.Tests.Tunnels.Frpc;
using Sidecar.Tunnels.Frpc;

namespace Sidecar.Tests.EndToEnd;

/// <summary>
/// Everything around one real sidecar process: the STAND-IN Kubernetes API server (not a real one), the
/// STAND-IN frpc (tests/FakeFrpc, not the real frpc) given as --frpc-path, two loopback echo backends, a
/// private state directory, and addresses of our own (a random 127.a.b.0/24 for --ip-range and a DNS
/// address next to it on a free port) so tests running at the same time never meet.
/// </summary>
internal sealed class EndToEndRig : IAsyncDisposable
{
    public const string ResourceName = "e2e-frps";
    public const string TcpName = "mysql.abc";
    public const string StcpName = "redis.abc";
    public const string UdpName = "syslog.abc";
    public const string SudpName = "dns.abc";

    private readonly TempDirectory _temp = new();

    private EndToEndRig(StandInKubeApiServer api)
    {
        Api = api;
        StateDir = _temp.File("state");
        var a = Random.Shared.Next(64, 250);
        var b = Random.Shared.Next(0, 255);
        IpRange = $"127.{a}.{b}.0/24";
        var dnsAddress = IPAddress.Parse($"127.{a}.{b + 1}.53");
        Dns = new IPEndPoint(dnsAddress, FreePort.UdpAndTcp(dnsAddress.ToString()));
        TcpPort = FreePort.Tcp();
        StcpPort = FreePort.Tcp();
        UdpPort = FreePort.Udp();
        SudpPort = FreePort.Udp();
        AdminPort = FreePort.Tcp();
        FrpsPort = FreePort.Tcp();
    }

    public StandInKubeApiServer Api { get; }
    public string StateDir { get; }
    public string IpRange { get; }
    public IPEndPoint Dns { get; }
    public int TcpPort { get; }
    public int StcpPort { get; }
    public int UdpPort { get; }
    public int SudpPort { get; }
    public int AdminPort { get; }

    /// <summary>spec.bindPort: the same in every version of the resource, or frpc would be restarted.</summary>
    public int FrpsPort { get; }
    public Uri Admin => new($"http://127.0.0.1:{AdminPort}/");

    /// <summary>Plays frps's public port of the tcp proxy: the forwarder dials 127.0.0.1:remotePort.</summary>
    public EchoServer TcpBackend { get; } = new();

    /// <summary>The service behind the stcp proxy: the stand-in frpc's visitor relays to it.</summary>
    public EchoServer StcpBackend { get; } = new();

    /// <summary>Plays frps's public port of the udp proxy: the forwarder sends to 127.0.0.1:remotePort.</summary>
    public UdpEchoServer UdpBackend { get; } = new();

    /// <summary>The service behind the sudp proxy: the stand-in frpc's visitor, or the stand-in frps, relays to it.</summary>
    public UdpEchoServer SudpBackend { get; } = new();

    /// <summary>Distinctive secrets, so a test can look for them where they must never appear.</summary>
    public string SecretKey { get; } = "sk-e2e-" + Guid.NewGuid().ToString("n");
    public string Token { get; } = "tok-e2e-" + Guid.NewGuid().ToString("n");

    public SidecarProcess? Sidecar { get; private set; }

    /// <summary>--tunnel-engine: frpc for the tests of frpc's supervision; null leaves the sidecar's default (native).</summary>
    public string? Engine { get; set; } = "frpc";

    /// <summary>--frpc-path: the stand-in frpc, or a path where none exists.</summary>
    public string FrpcPath { get; set; } = FrpcHarness.FakeFrpcPath;

    public static async Task<EndToEndRig> CreateAsync() => new(await StandInKubeApiServer.StartAsync());

    /// <summary>The FRPServer as frps reports it: status.internetAddr 127.0.0.1, the chosen proxies online.</summary>
    public JsonObject Resource(bool withTcp = true, bool withStcp = true, bool withUdp = false, bool withSudp = false)
    {
        var connections = new List<JsonObject>();
        if (withTcp)
        {
            connections.Add(TestResources.Connection(TcpName, "tcp", remotePort: TcpBackend.EndPoint.Port));
        }
        if (withStcp)
        {
            connections.Add(TestResources.Connection(StcpName, "stcp", remotePort: null, secretKey: SecretKey));
        }
        if (withSudp)
        {
            connections.Add(TestResources.Connection(SudpName, "sudp", remotePort: null, secretKey: SecretKey));
        }
        if (withUdp)
        {
            connections.Add(TestResources.Connection(UdpName, "udp", remotePort: UdpBackend.EndPoint.Port));
        }
        var resource = TestResources.FrpServer(ResourceName, internetAddr: "127.0.0.1", bindPort: FrpsPort, connections: [.. connections]);
        resource["spec"]!["auth"] = new JsonObject { ["method"] = "token", ["token"] = Token };
        return resource;
    }

    /// <summary>Starts a sidecar; one that ran before must have exited (its output is dropped).</summary>
    public async Task StartAsync(bool admin = false, params string[] extraArgs)
    {
        if (Sidecar is not null)
        {
            await Sidecar.DisposeAsync();
        }
        var kubeconfig = Api.WriteKubeconfig(_temp.Path);
        Sidecar = SidecarProcess.Start(
        [
            "--kubeconfig", kubeconfig,
            "--mapped-services", $"{TcpName}:{TcpPort},{StcpName}:{StcpPort},{UdpName}:{UdpPort},{SudpName}:{SudpPort}",
            "--ip-range", IpRange,
            "--dns-addr", Dns.ToString(),
            "--state-dir", StateDir,
            "--frpc-path", FrpcPath,
            "--admin-addr", admin ? $"127.0.0.1:{AdminPort}" : "",
            "--shutdown-grace", "10s",
            .. Engine is null ? Array.Empty<string>() : ["--tunnel-engine", Engine],
            .. extraArgs,
        ],
        // The stand-in frpc inherits this and relays the stcp visitor's connections to the backend.
        new Dictionary<string, string> { ["FAKEFRPC_BACKENDS"] = $"{StcpName}={StcpBackend.EndPoint},{SudpName}={SudpBackend.EndPoint}" });
    }

    public string Output => Sidecar is null ? "" : $"stdout:\n{Sidecar.Stdout}\nstderr:\n{Sidecar.Stderr}";

    /// <summary>Polls DNS until the name resolves to an address in our range.</summary>
    public async Task<IPAddress> ResolvedAsync(string name)
    {
        IPAddress? address = null;
        await PollAsync(async () => (address = (await DnsProbe.QueryAsync(Dns, name)).Address) is not null, $"{name} resolves");
        return address!;
    }

    /// <summary>Connects, sends a line, and expects it back; false on any failure.</summary>
    public static async Task<bool> EchoesAsync(IPAddress address, int port, string text)
    {
        try
        {
            using var socket = await TestNet.ConnectAsync(new IPEndPoint(address, port));
            return await TestNet.RoundTripAsync(socket, text) == text;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Sends a datagram (again, until patience runs out: UDP may drop) and expects "echo:" + it back.</summary>
    public static async Task<bool> UdpEchoesAsync(IPAddress address, int port, string text)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(new IPEndPoint(address, port));
        var payload = System.Text.Encoding.UTF8.GetBytes(text);
        var buffer = new byte[2048];
        for (var attempt = 0; attempt < 10; attempt++)
        {
            await socket.SendAsync(payload);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, wait.Token);
                return System.Text.Encoding.UTF8.GetString(buffer, 0, n) == "echo:" + text;
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                // Lost, or ICMP unreachable before the listener bound: try again.
            }
        }
        return false;
    }

    /// <summary>True when a TCP connect to the address is refused: nothing listens there.</summary>
    public static async Task<bool> RefusedAsync(IPAddress address, int port)
    {
        try
        {
            using var socket = await TestNet.ConnectAsync(new IPEndPoint(address, port));
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return false; // accepted while the listener was closing: poll again
        }
    }

    /// <summary>Our frpc children: live processes with a file of our state directory (the config) on their command line.</summary>
    public IReadOnlyList<int> FrpcChildren() =>
        [.. Directory.GetDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ProcInfo.CommandLine(pid).Any(a => a.StartsWith(StateDir + "/", StringComparison.Ordinal)))];

    /// <summary>Polls an asynchronous condition for up to a minute; fails with the sidecar's output.</summary>
    public async Task PollAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for: {what}\n{Output}");
            }
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Sidecar is not null)
        {
            await Sidecar.DisposeAsync();
        }
        // A failed test may leave the stand-in frpc behind the killed sidecar: stop it here.
        foreach (var pid in FrpcChildren())
        {
            Posix.Signal(pid, Posix.SigKill);
        }
        await Api.DisposeAsync();
        TcpBackend.Dispose();
        StcpBackend.Dispose();
        UdpBackend.Dispose();
        SudpBackend.Dispose();
        _temp.Dispose();
    }
}
