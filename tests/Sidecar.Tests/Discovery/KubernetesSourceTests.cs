using System.Text.Json.Nodes;
using Sidecar.Discovery.Kubernetes;
using Sidecar.Discovery;
using Sidecar.Tests.Discovery.StandIn;
using Sidecar.Tests.Support;

namespace Sidecar.Tests.Discovery;

/// <summary>List + watch against the stand-in API server, with its failure modes; real clock, generous deadlines.</summary>
public sealed class KubernetesSourceTests : IAsyncLifetime
{
    private StandInKubeApiServer _api = null!;
    private readonly string _dir = Directory.CreateTempSubdirectory("sidecar-kube-").FullName;
    private readonly ResourceCache _cache = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly CapturingLogger<KubernetesSource> _log = new();
    private Task _running = Task.CompletedTask;

    public async Task InitializeAsync() => _api = await StandInKubeApiServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (OperationCanceledException)
        {
            // Stopping a source is cancelling it.
        }
        await _api.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private void Start(TimeSpan? resync = null, bool watch = true, TimeSpan? requestTimeout = null)
    {
        var client = KubeApiClient.Create(KubeConfigLoader.Load(_api.WriteKubeconfig(_dir)), requestTimeout ?? TimeSpan.FromSeconds(20));
        var source = new KubernetesSource(client, resync ?? TimeSpan.FromMinutes(5), watch, TimeProvider.System, _log);
        _running = Task.Run(() => source.RunAsync(_cache, _stop.Token));
    }

    private bool Has(string name) => _cache.Snapshot().Any(s => s.Name == name);

    private long? Traffic(string name) =>
        _cache.Snapshot().SingleOrDefault(s => s.Name == name)?.Status?.ActiveConnections?.SingleOrDefault()?.TodayTrafficIn;

    private static JsonObject Server(string name, long traffic = 0) =>
        TestResources.FrpServer(name, connections: TestResources.Connection("a.x", traffic: traffic));

    [Fact]
    public async Task RunAsync_ChangesInApi_AppliedThroughWatchWithoutRelisting()
    {
        Start();
        await _cache.Synced.WaitAsync(Eventually.DefaultTimeout);
        await Eventually.TrueAsync(() => _api.OpenWatches == 1, "watch open");
        _api.Put(Server("a"));
        await Eventually.TrueAsync(() => Has("a"), "ADDED applied");
        _api.Put(Server("a", traffic: 7));
        await Eventually.TrueAsync(() => Traffic("a") == 7, "MODIFIED applied");
        _api.Delete("a");
        await Eventually.TrueAsync(() => !Has("a"), "DELETED applied");
        Assert.Equal(1, _api.ListCount);
    }

    [Fact]
    public async Task RunAsync_WatchExpired_RelistsAndContinues()
    {
        Start();
        await Eventually.TrueAsync(() => _api.OpenWatches == 1, "watch open");
        _api.Compact();
        await Eventually.TrueAsync(() => _api.ListCount >= 2, "relist after 410 Expired");
        await Eventually.TrueAsync(() => _api.OpenWatches == 1, "watch reopened");
        _api.Put(Server("after"));
        await Eventually.TrueAsync(() => Has("after"), "change after relist");
        Assert.Contains(_log.Entries, e => e.EventId == 4104);
    }

    [Fact]
    public async Task RunAsync_WatchAnswersHttp410_Relists()
    {
        _api.GoneNextWatches = 1;
        Start();
        await Eventually.TrueAsync(() => _api.ListCount >= 2 && _api.OpenWatches == 1, "relist after HTTP 410");
        _api.Put(Server("b"));
        await Eventually.TrueAsync(() => Has("b"), "change after relist");
    }

    [Fact]
    public async Task RunAsync_DroppedConnection_ReconnectsFromLastVersion()
    {
        Start();
        await Eventually.TrueAsync(() => _api.OpenWatches == 1, "watch open");
        _api.Put(Server("x"));
        await Eventually.TrueAsync(() => Has("x"), "x seen");
        var rvOfX = _cache.Snapshot().Single().Metadata!.ResourceVersion;
        _api.DropWatches();
        _api.Put(Server("y"));
        await Eventually.TrueAsync(() => Has("y"), "y seen after reconnect");
        Assert.True(_api.WatchCount >= 2);
        Assert.True(long.Parse(_api.LastWatchResourceVersion!) >= long.Parse(rvOfX!));
        Assert.True(Has("x"));
    }

    [Fact]
    public async Task RunAsync_Bookmark_AdvancesResumeVersion()
    {
        Start();
        await Eventually.TrueAsync(() => _api.OpenWatches == 1, "watch open");
        _api.Bookmark();
        var bookmarkRv = (long.Parse(_api.LastWatchResourceVersion!) + 1).ToString();
        await Task.Delay(200);
        _api.DropWatches();
        await Eventually.TrueAsync(() => _api.WatchCount >= 2, "watch reopened");
        Assert.Equal(bookmarkRv, _api.LastWatchResourceVersion);
    }

    [Fact]
    public async Task RunAsync_ListFailsOrIsSlow_KeepsLastKnownStateUntilAGoodRead()
    {
        _api.Put(Server("kept"));
        // Polling only, so each resync is a fresh list that can fail.
        Start(resync: TimeSpan.FromMilliseconds(200), watch: false, requestTimeout: TimeSpan.FromMilliseconds(500));
        await Eventually.TrueAsync(() => Has("kept"), "first list");

        _api.FailNextLists = 1000;
        var lists = _api.ListCount;
        await Eventually.TrueAsync(() => _api.ListCount >= lists + 3, "failing lists");
        Assert.True(Has("kept"));

        _api.FailNextLists = 0;
        _api.ListDelay = TimeSpan.FromSeconds(5);
        lists = _api.ListCount;
        await Eventually.TrueAsync(() => _api.ListCount >= lists + 1, "slow list");
        await Task.Delay(700); // past the 500 ms request timeout
        Assert.True(Has("kept"));
        Assert.Contains(_log.Entries, e => e.EventId == 4102);

        _api.ListDelay = TimeSpan.Zero;
        _api.Delete("kept");
        await Eventually.TrueAsync(() => !Has("kept"), "deleted resource removed by a good list");
    }

    [Fact]
    public async Task RunAsync_UnreadableUpdate_KeepsLastReadableVersion()
    {
        Start();
        await Eventually.TrueAsync(() => _api.OpenWatches == 1, "watch open");
        _api.Put(Server("r", traffic: 5));
        await Eventually.TrueAsync(() => Traffic("r") == 5, "good version");
        var bad = Server("r");
        bad["spec"]!["bindPort"] = new JsonArray(1, 2);
        _api.PutRaw("MODIFIED", bad);
        await Eventually.TrueAsync(() => _cache.Snapshot().Single().ParseError is not null, "bad version seen");
        Assert.Equal(5, _cache.Snapshot().Single().LastGood!.Status!.ActiveConnections![0].TodayTrafficIn);
    }
}
