using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sidecar.Addressing;
using Sidecar.Admin;
using Sidecar.Configuration;
using Sidecar.ControlLoop;
using Sidecar.ControlLoop.Reconciling;
using Sidecar.Discovery;
using Sidecar.Hosting;
using Sidecar.Observability;
using Sidecar.Tests.Support;

namespace Sidecar.Tests.Discovery;

/// <summary>What an operator sees of discovery and the control loop: /healthz when the source stops, the "Loaded" line.</summary>
public sealed class DiscoveryHealthTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sidecar-disc-").FullName;
    private readonly List<string> _journal = [];
    private readonly HealthState _health = new();
    private readonly CapturingLoggerFactory _logs = new();
    private DiscoveryComponent? _discovery;
    private ReconcileLoop? _loop;
    private AdminServer? _admin;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_discovery is not null)
        {
            await _discovery.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);
            await _discovery.DisposeAsync();
        }
        if (_loop is not null)
        {
            await _loop.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);
            await _loop.DisposeAsync();
        }
        if (_admin is not null)
        {
            await _admin.StopAsync(CancellationToken.None);
            await _admin.DisposeAsync();
        }
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A source with a bug: it throws out of RunAsync, which no source should ever do.</summary>
    private sealed class CrashingSource : IResourceSource
    {
        public string Description => "a source that crashes (stand-in)";

        public async Task RunAsync(ResourceCache cache, CancellationToken cancellationToken)
        {
            await Task.Yield();
            throw new InvalidOperationException("stand-in bug");
        }
    }

    private async Task<HttpClient> StartAdminAsync()
    {
        _admin = new AdminServer(new IPEndPoint(IPAddress.Loopback, 0), _health, new SidecarMetrics(),
            new MappingBoardReader(new MappingBoard(new RecordingTunnelDriver(_journal))), TimeProvider.System, NullLogger<AdminServer>.Instance);
        await _admin.StartAsync(CancellationToken.None);
        return new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_admin.LocalEndPoint!.Port}/") };
    }

    [Fact]
    public async Task Start_SourceStopsForGood_HealthzTurnsRed()
    {
        using var http = await StartAdminAsync();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("healthz")).StatusCode);
        _discovery = new DiscoveryComponent(() => new CrashingSource(), new ResourceCache(), TimeProvider.System,
            NullLogger<DiscoveryComponent>.Instance, health: _health);
        var starting = _discovery.StartAsync(CancellationToken.None);

        await starting;
        var status = HttpStatusCode.OK;
        for (var i = 0; i < 100 && status == HttpStatusCode.OK; i++)
        {
            await Task.Delay(100);
            status = (await http.GetAsync("healthz")).StatusCode;
        }
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
    }

    /// <summary>As a careful writer does: a reader never sees the file truncated (which would read as "no resources").</summary>
    private static void WriteAtomically(string path, string text)
    {
        File.WriteAllText(path + ".tmp", text);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    [Fact]
    public async Task Start_FileRewrittenWithSameEndpoints_NoPassAndLoadedAtInformationOnlyWhenEndpointsChange()
    {
        var path = Path.Combine(_dir, "frpservers.yaml");
        static string Doc(string proxy, int traffic) =>
            $"metadata:\n  name: s\n  resourceVersion: \"1\"\nspec:\n  bindAddr: 127.0.0.1\nstatus:\n  activeConnections:\n  - proxyName: {proxy}\n    proxyType: tcp\n    status: online\n    todayTrafficIn: {traffic}\n    proxyConfig:\n      remotePort: 2000\n";
        File.WriteAllText(path, Doc("mysql.abc", 0));
        var dns = new RecordingNamePublisher(_journal);
        var metrics = new SidecarMetrics();
        var control = Composition.BuildControlPath(new Settings
        {
            MappedServices = ServiceNames.ParseMappedServices("mysql.abc,redis.abc", 100),
            IpRange = IPNetwork.Parse("127.1.0.0/24"),
            Source = new SourceSpec(SourceKind.File, path),
        }, dns, new RecordingTunnelDriver(_journal), _logs, TimeProvider.System, metrics);
        (_discovery, _loop) = (control.Discovery, control.Loop);
        await _discovery.StartAsync(CancellationToken.None);
        await _loop.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => dns.Table.ContainsKey("mysql.abc"), "first read applied");
        int InfoLoaded() => _logs.Lines.Count(l => l.StartsWith("Information", StringComparison.Ordinal) && l.Contains("Loaded", StringComparison.Ordinal));
        await Eventually.TrueAsync(() => InfoLoaded() == 1, "the first read's Loaded line (logged after DNS is published)");

        // Each pass is one observation of the loop's reconcile-duration histogram.
        var passes = metrics.Loop.ReconcileDuration.Count;
        for (var i = 1; i <= 3; i++)
        {
            WriteAtomically(path, Doc("mysql.abc", i)); // frps's counters: nothing the sidecar uses
            await Task.Delay(1500); // past the file source's 1 s poll: the rewrite is read
        }
        Assert.Equal(passes, metrics.Loop.ReconcileDuration.Count); // a rewrite that changes nothing used costs no pass
        Assert.Equal(1, InfoLoaded());

        WriteAtomically(path, Doc("redis.abc", 4));
        await Eventually.TrueAsync(() => dns.Table.ContainsKey("redis.abc"), "changed endpoints applied");
        await Eventually.TrueAsync(() => InfoLoaded() == 2, "a Loaded line for the changed endpoints");
        Assert.Equal(2, InfoLoaded());
    }
}
