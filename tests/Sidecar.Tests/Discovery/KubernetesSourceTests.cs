using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Sidecar.Configuration;
using Sidecar.Discovery.Kubernetes;
using Sidecar.Discovery;
using Sidecar.Tests.Discovery.StandIn;
using Sidecar.Tests.Support;

namespace Sidecar.Tests.Discovery;

/// <summary>List + watch (and poll) against the stand-in API server, with its failure modes; real clock unless said, generous deadlines.</summary>
public sealed class KubernetesSourceTests : IAsyncLifetime
{
    private StandInKubeApiServer _api = null!;
    private readonly string _dir = Directory.CreateTempSubdirectory("sidecar-kube-").FullName;
    private ResourceCache _cache = new();
    private CacheChanges _changes = null!;
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

    private void Start(KubeSyncOptions? options = null, TimeSpan? requestTimeout = null, TimeProvider? time = null, Action? giveBack = null)
    {
        options ??= new KubeSyncOptions();
        var client = KubeApiClient.Create(KubeConfigLoader.Load(_api.WriteKubeconfig(_dir)), requestTimeout ?? TimeSpan.FromSeconds(20));
        var source = new KubernetesSource(client, options, time ?? TimeProvider.System, _log, giveBack ?? (() => { }));
        _cache = new ResourceCache(source.Partitions);
        _changes = new CacheChanges(_cache);
        _running = Task.Run(() => source.RunAsync(_cache, _stop.Token));
    }

    private bool Has(string name) => _cache.Snapshot().Any(s => s.Name == name);

    private FrpServerLookup Find(string name) => new(_cache.Snapshot().SingleOrDefault(s => s.Name == name));

    private static JsonObject Server(string name, long traffic = 0, int remotePort = 2000, string? label = null)
    {
        var server = TestResources.FrpServer(name, connections: TestResources.Connection("a.x", traffic: traffic, remotePort: remotePort));
        if (label is not null)
        {
            server["metadata"]!["labels"] = new JsonObject { ["team"] = label };
        }
        return server;
    }

    [Fact]
    public async Task RunAsync_ChangesInApi_AppliedThroughWatchAfterOneCachedList()
    {
        Start();
        await _cache.Synced.WaitAsync(Eventually.DefaultTimeout);
        await Eventually.TrueAsync(() => _api.OpenWatches == 1, "watch open");
        _api.Put(Server("a"));
        await Eventually.TrueAsync(() => Has("a"), "ADDED applied");
        _api.Put(Server("a", remotePort: 2001));
        await Eventually.TrueAsync(() => Find("a").RemotePort == 2001, "MODIFIED applied");
        _api.Delete("a");
        await Eventually.TrueAsync(() => !Has("a"), "DELETED applied");
        Assert.Equal(1, _api.ListCount);
        Assert.Equal(0, _api.QuorumListCount);
        Assert.Equal("resourceVersion=0", _api.LastListQuery);
        Assert.Contains("allowWatchBookmarks=true", _api.LastWatchQuery);
    }

    [Fact]
    public async Task RunAsync_StatusCountersRewritten_KeepsStoredObjectAndSignalsNothing()
    {
        _api.Put(Server("a", traffic: 1));
        Start();
        await _cache.Synced.WaitAsync(Eventually.DefaultTimeout);
        await Eventually.TrueAsync(() => _api.OpenWatches == 1, "watch open");
        Assert.True(_changes.Take() >= 1); // the first list
        var stored = _cache.Snapshot().Single();
        for (var i = 2; i < 7; i++)
        {
            _api.Put(Server("a", traffic: i));
        }
        _api.Put(Server("marker"));
        await Eventually.TrueAsync(() => Has("marker"), "events after the rewrites applied");
        Assert.Same(stored, _cache.Snapshot().Single(s => s.Name == "a"));
        await Eventually.TrueAsync(() => _changes.Count >= 1, "the marker signalled");
        Assert.Equal(1, _changes.Take()); // the marker, and none for the rewrites
    }

    [Fact]
    public async Task RunAsync_ChurnOnlyRewrites_NothingStoredOrSignalledAndWatchResumesFromTheNewest()
    {
        _api.Put(Server("a", traffic: 1));
        Start(new KubeSyncOptions { WatchTimeoutMin = TimeSpan.FromSeconds(1), WatchTimeoutMax = TimeSpan.FromSeconds(2) });
        await _cache.Synced.WaitAsync(Eventually.DefaultTimeout);
        await Eventually.TrueAsync(() => _api.OpenWatches == 1, "watch open");
        var stored = _cache.Snapshot().Single();
        _changes.Take();
        for (var i = 2; i < 8; i++)
        {
            _api.Put(Server("a", traffic: i)); // after the first, recognised on their bytes (ChurnFilter) and never decoded
        }
        var newest = _api.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Eventually.TrueAsync(() => _api.WatchCount >= 2 && _api.LastWatchResourceVersion == newest, "resumed from the last rewrite's version");
        Assert.Same(stored, _cache.Snapshot().Single());
        Assert.Equal(0, _changes.Take());
        Assert.Equal(1, _api.ListCount);
        _api.Put(Server("a", traffic: 9, remotePort: 2001));
        await Eventually.TrueAsync(() => Find("a").RemotePort == 2001, "a real change after the churn applied");
    }

    [Fact]
    public async Task RunAsync_ServerEndsWatchAtTimeout_ResumesFromLastVersionWithoutRelisting()
    {
        Start(new KubeSyncOptions { WatchTimeoutMin = TimeSpan.FromSeconds(1), WatchTimeoutMax = TimeSpan.FromSeconds(2) });
        await Eventually.TrueAsync(() => _api.OpenWatches == 1, "watch open");
        _api.Put(Server("a"));
        await Eventually.TrueAsync(() => Has("a"), "a seen");
        var rv = _cache.Snapshot().Single().Metadata!.ResourceVersion;
        await Eventually.TrueAsync(() => _api.WatchCount >= 3, "watches renewed after their server-side timeout");
        Assert.Equal(rv, _api.LastWatchResourceVersion);
        Assert.Equal(1, _api.ListCount);
        var timeouts = _api.Clients.Single(c => c.Name == "default").WatchTimeouts;
        Assert.All(timeouts, t => Assert.InRange(t, 1, 2));
    }

    [Fact]
    public void Options_Default_WatchTimeoutFiveToTenMinutesHourlyRelist()
    {
        var options = new KubeSyncOptions();
        Assert.Equal((TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1)),
            (options.WatchTimeoutMin, options.WatchTimeoutMax, options.RelistPeriod));
    }

    [Fact]
    public async Task RunAsync_WatchExpired_RelistsNotOlderThanLastSeen()
    {
        Start();
        await Eventually.TrueAsync(() => _api.OpenWatches == 1, "watch open");
        _api.Put(Server("a"));
        await Eventually.TrueAsync(() => Has("a"), "a seen");
        var rv = _cache.Snapshot().Single().Metadata!.ResourceVersion;
        _api.Compact();
        await Eventually.TrueAsync(() => _api.ListCount >= 2, "relist after 410 Expired");
        Assert.Equal($"resourceVersion={rv}&resourceVersionMatch=NotOlderThan", _api.LastListQuery);
        await Eventually.TrueAsync(() => _api.OpenWatches == 1, "watch reopened");
        _api.Put(Server("after"));
        await Eventually.TrueAsync(() => Has("after"), "change after relist");
        Assert.Contains(_log.Entries, e => e.EventId == DiscoveryEventIds.WatchExpired);
    }

    [Fact]
    public async Task RunAsync_WatchAnswersErrorEvent410_Relists()
    {
        _api.GoneNextWatches = 1;
        Start();
        await Eventually.TrueAsync(() => _api.ListCount >= 2 && _api.OpenWatches == 1, "relist after the ERROR event");
        _api.Put(Server("b"));
        await Eventually.TrueAsync(() => Has("b"), "change after relist");
    }

    [Fact]
    public async Task RunAsync_WatchAnswersHttp410_Relists()
    {
        _api.HttpGoneNextWatches = 1;
        Start();
        await Eventually.TrueAsync(() => _api.ListCount >= 2 && _api.OpenWatches == 1, "relist after HTTP 410");
        _api.Put(Server("b"));
        await Eventually.TrueAsync(() => Has("b"), "change after relist");
    }

    [Fact]
    public async Task RunAsync_DroppedConnection_ResumesFromLastVersionWithoutRelisting()
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
        Assert.Equal(1, _api.ListCount);
    }

    [Fact]
    public async Task RunAsync_Bookmark_AdvancesResumeVersion()
    {
        Start();
        await Eventually.TrueAsync(() => _api.OpenWatches == 1, "watch open");
        _api.Bookmark();
        var bookmarkRv = _api.ResourceVersion.ToString();
        await Eventually.TrueAsync(() => _api.Clients.Single(c => c.Name == "default").Events >= 1, "bookmark sent");
        await Task.Delay(200);
        _api.DropWatches();
        await Eventually.TrueAsync(() => _api.WatchCount >= 2, "watch reopened");
        Assert.Equal(bookmarkRv, _api.LastWatchResourceVersion);
        Assert.Equal(1, _api.ListCount);
    }

    [Fact]
    public async Task RunAsync_SafetyRelistDue_ListsAgainWithoutExpiry()
    {
        Start(new KubeSyncOptions { RelistPeriod = TimeSpan.FromMilliseconds(500) });
        await Eventually.TrueAsync(() => _api.ListCount >= 3, "safety relists");
        Assert.DoesNotContain(_log.Entries, e => e.EventId == DiscoveryEventIds.WatchExpired);
        Assert.Equal(0, _api.QuorumListCount);
    }

    [Fact]
    public async Task RunAsync_Poll_OneListPerIntervalAndNoWatch()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        Start(new KubeSyncOptions { Mode = DiscoveryMode.Poll, PollInterval = TimeSpan.FromSeconds(10) }, time: time);
        await Eventually.TrueAsync(() => _api.ListCount == 1, "first list at once");
        for (var n = 2; n <= 5; n++)
        {
            time.Advance(TimeSpan.FromSeconds(10));
            await Eventually.TrueAsync(() => _api.ListCount == n, $"list {n} after one more interval");
        }
        time.Advance(TimeSpan.FromSeconds(9));
        await Task.Delay(300);
        Assert.Equal(5, _api.ListCount);
        Assert.Equal(0, _api.WatchCount);
        Assert.Equal(5, _api.Clients.Single(c => c.Name == "default").CacheLists);
    }

    [Fact]
    public async Task RunAsync_Watch_GivesMemoryBackOnceAfterTheListNotPerEvent()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var givenBack = 0;
        Start(time: time, giveBack: () => Interlocked.Increment(ref givenBack));
        await Eventually.TrueAsync(() => _api.OpenWatches == 1, "watch open after the list");
        Assert.Equal(0, givenBack);
        time.Advance(KubernetesSource.CompactAfterList);
        await Eventually.TrueAsync(() => givenBack == 1, "memory given back after the list");
        _api.Put(Server("a"));
        _api.Put(Server("a", traffic: 2));
        await Eventually.TrueAsync(() => Has("a"), "events applied");
        time.Advance(KubernetesSource.CompactAfterList * 10);
        await Task.Delay(100);
        Assert.Equal(1, givenBack);
    }

    [Fact]
    public async Task RunAsync_Poll_NeverGivesMemoryBack()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var givenBack = 0;
        Start(new KubeSyncOptions { Mode = DiscoveryMode.Poll, PollInterval = TimeSpan.FromSeconds(10) }, time: time,
            giveBack: () => Interlocked.Increment(ref givenBack));
        await Eventually.TrueAsync(() => _api.ListCount == 1, "first list");
        time.Advance(TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => _api.ListCount == 2, "second list");
        time.Advance(TimeSpan.FromSeconds(5));
        await Task.Delay(100);
        Assert.Equal(0, givenBack);
    }

    [Fact]
    public async Task RunAsync_NamedServers_ListsAndWatchesOnlyThose()
    {
        _api.Put(Server("frps-a"));
        _api.Put(Server("frps-b"));
        _api.Put(Server("frps-c"));
        Start(new KubeSyncOptions { Scopes = [ResourceScope.Named("frps-a", null), ResourceScope.Named("frps-c", null)] });
        await _cache.Synced.WaitAsync(Eventually.DefaultTimeout);
        Assert.Equal(["frps-a", "frps-c"], _cache.Snapshot().Select(s => s.Name).Order());
        await Eventually.TrueAsync(() => _api.OpenWatches == 2, "one watch per name");
        _api.Put(Server("frps-b", remotePort: 3000));
        _api.Delete("frps-c");
        await Eventually.TrueAsync(() => !Has("frps-c"), "named server deleted");
        _api.Put(Server("frps-a", remotePort: 3001));
        await Eventually.TrueAsync(() => Find("frps-a").RemotePort == 3001, "named server changed");
        Assert.False(Has("frps-b"));
        Assert.Contains("fieldSelector=metadata.name%3dfrps-", _api.LastWatchQuery, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RunAsync_LabelSelector_OnlyMatchingServers()
    {
        _api.Put(Server("mine", label: "payments"));
        _api.Put(Server("theirs", label: "search"));
        Start(new KubeSyncOptions { Scopes = [new ResourceScope("team=payments", null)] });
        await _cache.Synced.WaitAsync(Eventually.DefaultTimeout);
        await Eventually.TrueAsync(() => _api.OpenWatches == 1, "watch open");
        _api.Put(Server("theirs", label: "search", remotePort: 3000));
        _api.Put(Server("new-mine", label: "payments"));
        await Eventually.TrueAsync(() => Has("new-mine"), "matching server added");
        Assert.Equal(["mine", "new-mine"], _cache.Snapshot().Select(s => s.Name).Order());
    }

    [Fact]
    public async Task RunAsync_ListFailsOrIsSlow_KeepsLastKnownStateUntilAGoodRead()
    {
        _api.Put(Server("kept"));
        Start(new KubeSyncOptions { Mode = DiscoveryMode.Poll, PollInterval = TimeSpan.FromMilliseconds(200) }, requestTimeout: TimeSpan.FromMilliseconds(500));
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
        Assert.Contains(_log.Entries, e => e.EventId == DiscoveryEventIds.ListFailed);

        _api.ListDelay = TimeSpan.Zero;
        _api.Delete("kept");
        await Eventually.TrueAsync(() => !Has("kept"), "deleted resource removed by a good list");
    }

    [Fact]
    public async Task RunAsync_TlsHandshakeStalledPastConnectTimeout_RetriesUntilServed()
    {
        _api.StallHandshakes = true; // HttpClient's 10 s ConnectTimeout fires as a TaskCanceledException
        _api.Put(Server("a"));
        Start();
        await Eventually.TrueAsync(() => _log.Entries.Any(e => e.EventId == DiscoveryEventIds.ListFailed), "connect timeout logged as a failed list", TimeSpan.FromSeconds(40));
        Assert.False(_running.IsCompleted);
        _api.StallHandshakes = false;
        await Eventually.TrueAsync(() => Has("a"), "listed once the server answers", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task RunAsync_ForbiddenAfterStart_KeepsLastKnownState()
    {
        _api.Put(Server("kept"));
        Start();
        await Eventually.TrueAsync(() => _api.OpenWatches == 1, "watch open");
        _api.Forbid = true;
        _api.DropWatches();
        await Eventually.TrueAsync(() => _log.Entries.Any(e => e.EventId == DiscoveryEventIds.WatchFailed), "watch failure logged");
        Assert.True(Has("kept"));
    }

    [Fact]
    public async Task RunAsync_UnreadableUpdate_KeepsLastReadableVersion()
    {
        Start();
        await Eventually.TrueAsync(() => _api.OpenWatches == 1, "watch open");
        _api.Put(Server("r", remotePort: 2005));
        await Eventually.TrueAsync(() => Find("r").RemotePort == 2005, "good version");
        var bad = Server("r");
        bad["spec"]!["bindPort"] = new JsonArray(1, 2);
        _api.PutRaw("MODIFIED", bad);
        await Eventually.TrueAsync(() => _cache.Snapshot().Single().ParseError is not null, "bad version seen");
        Assert.Equal(2005, _cache.Snapshot().Single().LastGood!.Status!.ActiveConnections![0].ProxyConfig!.RemotePort);
    }

    private readonly record struct FrpServerLookup(Sidecar.Discovery.Model.FrpServer? Server)
    {
        public int? RemotePort => Server?.Status?.ActiveConnections?.SingleOrDefault()?.ProxyConfig?.RemotePort;
    }
}
