using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Sidecar.Configuration;
using Sidecar.Hosting;
using Sidecar.Observability;
using Sidecar.Tests.Discovery.StandIn;
using Sidecar.Tests.Support;
using Sidecar.Tunnels;

namespace Sidecar.Tests.ControlLoop;

/// <summary>The control path as the composition root wires it: stand-in API server → real client, source, cache,
/// loop (extractor, allocator, reconciler) → DNS publisher double.</summary>
public sealed class ReconcileLoopTests : IAsyncLifetime
{
    private StandInKubeApiServer _api = null!;
    private readonly string _dir = Directory.CreateTempSubdirectory("sidecar-disc-").FullName;
    private readonly List<string> _journal = [];
    private RecordingNamePublisher _dns = null!;
    private ControlPath _control = null!;
    private readonly SidecarMetrics _metrics = new();
    private readonly HealthState _health = new();

    public async Task InitializeAsync()
    {
        _api = await StandInKubeApiServer.StartAsync();
        _dns = new RecordingNamePublisher(_journal);
    }

    public async Task DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await _control.Discovery.StopAsync(stop.Token);
        await _control.Loop.StopAsync(stop.Token);
        await _control.Discovery.DisposeAsync();
        await _control.Loop.DisposeAsync();
        await _api.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task StartAsync(Settings? settings = null, RecordingTunnelDriver? driver = null)
    {
        settings ??= new Settings
        {
            MappedServices = ServiceNames.ParseMappedServices("mysql.abc,redis.abc", 100),
            IpRange = IPNetwork.Parse("127.1.0.0/16"),
            Source = SourceSpec.Kubernetes,
            Kubeconfig = _api.WriteKubeconfig(_dir),
            FrpsAddr = "127.0.0.1",
        };
        _control = Composition.BuildControlPath(settings, _dns, driver ?? new RecordingTunnelDriver(_journal), NullLoggerFactory.Instance, TimeProvider.System, _metrics, _health);
        await _control.Discovery.StartAsync(default);
        await _control.Loop.StartAsync(default);
    }

    [Fact]
    public async Task Start_ChangesInApi_DnsFollows()
    {
        await StartAsync();
        await Eventually.TrueAsync(() => _api.OpenWatches == 1, "watch open");
        _api.Put(TestResources.FrpServer("frps", connections: TestResources.Connection("mysql.abc")));
        await Eventually.TrueAsync(() => _dns.Table.ContainsKey("mysql.abc"), "mysql.abc published");
        var address = _dns.Table["mysql.abc"];
        Assert.True(IPNetwork.Parse("127.1.0.0/16").Contains(address));
        Assert.True(_health.HasSynced);
        Assert.True(_metrics.Discovery.LastSuccessfulSyncUnixSeconds.Value > 0);
        // The view is refreshed at the end of the pass that published the name: wait for it, not just for DNS.
        await Eventually.TrueAsync(() => _control.Mappings.GetMappings().Count == 1, "mapping visible");
        var mapping = Assert.Single(_control.Mappings.GetMappings());
        Assert.Equal(("mysql.abc", address.ToString(), true), (mapping.Name, mapping.Address, mapping.Published));
        var port = Assert.Single(mapping.Ports);
        Assert.Equal(("10.0.0.7:2000", "frps", "tcp", "listening"), (port.Target, port.Server, port.ProxyType, port.TunnelState));

        // frps rewrites counters every second: no work.
        var publishes = _dns.PublishCount;
        _api.Put(TestResources.FrpServer("frps", connections: TestResources.Connection("mysql.abc", traffic: 42)));
        _api.Put(TestResources.FrpServer("frps", connections: [TestResources.Connection("mysql.abc", traffic: 43), TestResources.Connection("redis.abc", remotePort: 2001)]));
        await Eventually.TrueAsync(() => _dns.Table.ContainsKey("redis.abc"), "redis.abc published");
        Assert.Equal(publishes + 1, _dns.PublishCount);
        Assert.Equal(address, _dns.Table["mysql.abc"]);

        _api.Delete("frps");
        await Eventually.TrueAsync(() => _dns.Table.Count == 0, "deleted resource unpublished");
    }

    [Fact]
    public async Task Start_StatusCountersRewritten_NoReconcilePass()
    {
        _api.Put(TestResources.FrpServer("frps", connections: TestResources.Connection("mysql.abc", traffic: 1)));
        await StartAsync();
        await Eventually.TrueAsync(() => _dns.Table.ContainsKey("mysql.abc") && _api.OpenWatches == 1, "published, watching");
        // Each pass is one observation of the loop's reconcile-duration histogram.
        var before = _metrics.Loop.ReconcileDuration.Count;
        long Passes() => _metrics.Loop.ReconcileDuration.Count - before;
        var client = _api.Clients.Single(c => c.Name == "default");
        for (var i = 2; i < 6; i++)
        {
            var sent = Interlocked.Read(ref client.Events);
            _api.Put(TestResources.FrpServer("frps", connections: TestResources.Connection("mysql.abc", traffic: i)));
            await Eventually.TrueAsync(() => Interlocked.Read(ref client.Events) > sent, "rewrite sent");
            await Task.Delay(100); // time for a pass, were one to happen
        }
        Assert.Equal(0, Passes());
        _api.Put(TestResources.FrpServer("frps", connections: [TestResources.Connection("mysql.abc"), TestResources.Connection("redis.abc", remotePort: 2001)]));
        await Eventually.TrueAsync(() => Passes() >= 1, "a real change reconciles");
    }

    [Fact]
    public async Task Start_TunnelStarting_NamePublishedWhenDriverSignalsListening()
    {
        var driver = new RecordingTunnelDriver(_journal) { StateOfOpen = TunnelState.Starting };
        _api.Put(TestResources.FrpServer("frps", connections: TestResources.Connection("mysql.abc")));
        await StartAsync(driver: driver);
        await Eventually.TrueAsync(() => _control.Mappings.GetMappings().Count == 1, "tunnel opened");
        Assert.False(_control.Mappings.GetMappings().Single().Published);
        Assert.False(_dns.Table.ContainsKey("mysql.abc")); // --dns-wait-for-tunnel: not before it listens

        // Nobody polls: while the tunnel starts and nothing changes, no pass runs.
        var passes = _metrics.Loop.ReconcileDuration.Count;
        await Task.Delay(500); // time for several passes, were the loop polling
        Assert.Equal(passes, _metrics.Loop.ReconcileDuration.Count);

        driver.BecomeListening();
        await Eventually.TrueAsync(() => _dns.Table.ContainsKey("mysql.abc"), "published once the driver said the tunnel listens");
    }

    [Fact]
    public async Task Start_ApiFailsAfterwards_NothingRemoved()
    {
        _api.Put(TestResources.FrpServer("frps", connections: TestResources.Connection("mysql.abc")));
        await StartAsync(new Settings
        {
            MappedServices = ServiceNames.ParseMappedServices("mysql.abc", 100),
            IpRange = IPNetwork.Parse("127.1.0.0/16"),
            Kubeconfig = _api.WriteKubeconfig(_dir),
            FrpsAddr = "127.0.0.1",
            Discovery = DiscoveryMode.Poll,
            PollInterval = TimeSpan.FromMilliseconds(300),
        });
        await Eventually.TrueAsync(() => _dns.Table.ContainsKey("mysql.abc"), "published");
        _api.FailNextLists = 1000;
        _api.GoneNextWatches = 1000;
        _api.DropWatches();
        var lists = _api.ListCount;
        // A list is counted by the stand-in when it is asked, the error by the source once the answer came back.
        await Eventually.TrueAsync(() => _api.ListCount >= lists + 3 && _metrics.Discovery.SyncErrors.Value >= 3, "failing lists counted");
        Assert.True(_dns.Table.ContainsKey("mysql.abc"));
        Assert.DoesNotContain(_journal, j => j.StartsWith("close", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_ServiceOnTwoResources_FailsOverKeepingAddress()
    {
        await StartAsync();
        await Eventually.TrueAsync(() => _api.OpenWatches == 1, "watch open");
        _api.Put(TestResources.FrpServer("zeta", created: "2024-01-01T00:00:00Z", internetAddr: "10.0.0.1", connections: TestResources.Connection("mysql.abc")));
        _api.Put(TestResources.FrpServer("alpha", created: "2025-01-01T00:00:00Z", internetAddr: "10.0.0.2", connections: TestResources.Connection("mysql.abc")));
        await Eventually.TrueAsync(() => _dns.Table.ContainsKey("mysql.abc"), "published");
        await Eventually.TrueAsync(() => _control.Mappings.GetMappings().SingleOrDefault()?.Ports.SingleOrDefault()?.Server == "zeta", "oldest resource chosen");
        var address = _dns.Table["mysql.abc"];
        var publishes = _dns.PublishCount;

        _api.Delete("zeta");
        await Eventually.TrueAsync(() => _control.Mappings.GetMappings().SingleOrDefault()?.Ports.Single().Server == "alpha", "failed over");
        Assert.Equal(address, _dns.Table["mysql.abc"]);
        Assert.Equal(publishes, _dns.PublishCount); // DNS never changed
        Assert.Equal("10.0.0.2:2000", _control.Mappings.GetMappings().Single().Ports.Single().Target);
    }

    [Fact]
    public async Task Start_LocalExampleFile_PublishesMysqlAbc()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Discovery", "Data", "local-frpserver.yaml");
        await StartAsync(new Settings
        {
            MappedServices = ServiceNames.ParseMappedServices("mysql.abc", 100),
            IpRange = IPNetwork.Parse("127.1.0.0/24"),
            Source = new SourceSpec(SourceKind.File, path),
        });
        await Eventually.TrueAsync(() => _dns.Table.ContainsKey("mysql.abc"), "mysql.abc published from the file");
        // The mappings view is updated at the end of the pass that published the name.
        await Eventually.TrueAsync(() => _control.Mappings.GetMappings().Count == 1, "mapping visible");
        var port = _control.Mappings.GetMappings().Single().Ports.Single();
        // No --frps-addr needed: the example's bindAddr is concrete.
        Assert.Equal(("127.0.0.1:2000", "tcp", 2000), (port.Target, port.ProxyType, port.Port));
    }
}
