using System.Net;
using System.Text.Json.Nodes;
using Sidecar.Discovery.Kubernetes;
using Sidecar.Discovery;
using Sidecar.Tests.Discovery.StandIn;
using Sidecar.Tests.Support;

namespace Sidecar.Tests.Discovery;

/// <summary>
/// The client against the exact bodies a real kube-apiserver 1.28 sent (Data/kube-apiserver-1.28, served
/// verbatim by the stand-in), and the stand-in's own answers checked against the same recordings.
/// </summary>
public sealed class RecordedApiTests : IAsyncLifetime
{
    private static readonly string Recordings = Path.Combine(AppContext.BaseDirectory, "Discovery", "Data", "kube-apiserver-1.28");
    private StandInKubeApiServer _api = null!;
    private readonly string _dir = Directory.CreateTempSubdirectory("sidecar-rec-").FullName;

    public async Task InitializeAsync() => _api = await StandInKubeApiServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static string Recording(string name) => File.ReadAllText(Path.Combine(Recordings, name));

    private static string[] RecordedLines(string name) => Recording(name).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private KubeApiClient Client() => KubeApiClient.Create(KubeConfigLoader.Load(_api.WriteKubeconfig(_dir)), TimeSpan.FromSeconds(20));

    [Theory]
    [InlineData("list.json")]
    [InlineData("list-rv0.json")]
    public async Task ListAsync_RecordedList_ReadsItemAndVersion(string recording)
    {
        _api.ServeNext(200, Recording(recording));
        using var client = Client();
        var list = await client.ListAsync(ResourceScope.All, KubeApiClient.AnyVersion, default);
        Assert.Equal("728", list.Metadata!.ResourceVersion);
        var item = Assert.Single(list.Items!);
        Assert.Equal(("frpserver-sample", "728"), (item.Name, item.Metadata!.ResourceVersion));
        Assert.Equal("127.0.0.1", item.Status!.InternetAddr);
        var connection = Assert.Single(item.Status.ActiveConnections!);
        Assert.Equal(("mysql.abc", "tcp", "online", 2000), (connection.ProxyName, connection.ProxyType, connection.Status, connection.ProxyConfig!.RemotePort));
    }

    [Fact]
    public async Task WatchAsync_RecordedBookmarkStream_EveryLineDecoded()
    {
        _api.ServeNextWatch(RecordedLines("watch-bookmarks.jsonl"));
        using var client = Client();
        var lines = new List<WatchLine>();
        await foreach (var line in client.WatchAsync(ResourceScope.All, "728", TimeSpan.FromSeconds(75), default))
        {
            lines.Add(line);
        }
        Assert.Equal(["MODIFIED", "MODIFIED", "MODIFIED", "ADDED", "DELETED", "BOOKMARK", "BOOKMARK", "BOOKMARK"], lines.Select(l => l.Type));
        Assert.Equal(["729", "730", "731", "732", "733", "733", "733", "733"], lines.Select(l => l.Server!.Metadata!.ResourceVersion));
        Assert.Equal("3s", lines[2].Server!.Status!.ServiceStatus!.Uptime);
        Assert.Equal("frpserver-two", lines[3].Server!.Name);
        Assert.Contains("allowWatchBookmarks=true", _api.LastWatchQuery);
        Assert.Contains("timeoutSeconds=75", _api.LastWatchQuery);
    }

    [Fact]
    public async Task WatchAsync_RecordedTooOld_ErrorEventWith410Expired()
    {
        _api.ServeNextWatch(RecordedLines("watch-too-old.jsonl"));
        using var client = Client();
        var line = Assert.Single(await client.WatchAsync(ResourceScope.All, "1", TimeSpan.FromSeconds(60), default).ToListAsync());
        Assert.Equal("ERROR", line.Type);
        Assert.Equal((410, "Expired"), (line.Status!.Code, line.Status.Reason));
        Assert.True(KubeApiClient.IsGone(line.Status));
    }

    [Theory]
    [InlineData("list-bad-token.json", HttpStatusCode.Unauthorized, "401 Unauthorized: Unauthorized")]
    [InlineData("list-forbidden-secrets.json", HttpStatusCode.Forbidden, "User \"sidecar\" cannot list resource \"secrets\"")]
    public async Task ListAsync_RecordedErrorStatus_ThrowsWithServerMessage(string recording, HttpStatusCode status, string message)
    {
        _api.ServeNext((int)status, Recording(recording));
        using var client = Client();
        var e = await Assert.ThrowsAsync<KubeApiException>(() => client.ListAsync(ResourceScope.All, KubeApiClient.AnyVersion, default));
        Assert.Equal(status, e.Status);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public async Task RunAsync_RecordedListThenStream_AppliesAndResumesFromLastBookmark()
    {
        _api.ServeNext(200, Recording("list-rv0.json"));
        _api.ServeNextWatch(RecordedLines("watch-bookmarks.jsonl"));
        var cache = new ResourceCache();
        using var stop = new CancellationTokenSource();
        var source = new KubernetesSource(Client(), new KubeSyncOptions(), TimeProvider.System, new CapturingLogger<KubernetesSource>());
        var running = Task.Run(() => source.RunAsync(cache, stop.Token));
        // The recorded stream ends; the next watch (the stand-in's own) resumes from the recorded bookmark.
        await Eventually.TrueAsync(() => _api.WatchCount >= 2, "watch resumed");
        Assert.Equal("733", _api.LastWatchResourceVersion);
        Assert.Equal(["frpserver-sample"], cache.Snapshot().Select(s => s.Name));
        Assert.Equal(1, _api.ListCount);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public async Task StandIn_ErrorBodies_EqualRecordings()
    {
        using var http = RawClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", "not-the-token");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Recording("list-bad-token.json")), JsonNode.Parse(await http.BodyAsync(KubeApiClient.ResourcePath))));
        http.DefaultRequestHeaders.Authorization = new("Bearer", _api.Token);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Recording("list-forbidden-secrets.json")), JsonNode.Parse(await http.BodyAsync("api/v1/secrets"))));
    }

    [Fact]
    public async Task StandIn_ListAndWatchLines_ShapedAsRecordings()
    {
        var sample = JsonNode.Parse(Recording("list-rv0.json"))!["items"]![0]!.AsObject();
        _api.Put(sample);
        using var http = RawClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", _api.Token);
        var list = JsonNode.Parse(await http.BodyAsync(KubeApiClient.ResourcePath + "?resourceVersion=0"))!.AsObject();
        var recorded = JsonNode.Parse(Recording("list-rv0.json"))!.AsObject();
        Assert.Equal(Keys(recorded), Keys(list));
        Assert.Equal(Keys(recorded["metadata"]!.AsObject()), Keys(list["metadata"]!.AsObject()));

        // Too old: HTTP 200, one ERROR event as the recording (message "too old resource version: N (M)").
        _api.HistoryCapacity = 0;
        _api.Put(sample);
        var tooOld = JsonNode.Parse((await http.BodyAsync(KubeApiClient.ResourcePath + "?watch=true&resourceVersion=1")).Trim())!;
        var recordedTooOld = JsonNode.Parse(Recording("watch-too-old.jsonl"))!;
        Assert.Equal(Keys(recordedTooOld["object"]!.AsObject()), Keys(tooOld["object"]!.AsObject()));
        Assert.Equal((410, "Expired", "ERROR"), (tooOld["object"]!["code"]!.GetValue<int>(), tooOld["object"]!["reason"]!.GetValue<string>(), tooOld["type"]!.GetValue<string>()));
        Assert.Matches(@"^too old resource version: 1 \(\d+\)$", tooOld["object"]!["message"]!.GetValue<string>());

        // Bookmarks only when asked for, shaped as the recording's.
        _api.BookmarkInterval = TimeSpan.FromMilliseconds(200);
        var rv = _api.ResourceVersion;
        var withBookmarks = await http.BodyAsync($"{KubeApiClient.ResourcePath}?watch=true&resourceVersion={rv}&allowWatchBookmarks=true&timeoutSeconds=3");
        var bookmarkLines = withBookmarks.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(bookmarkLines.Length > 0, "a 3 s watch with 200 ms bookmarks got none");
        var bookmark = JsonNode.Parse(bookmarkLines[0])!;
        var recordedBookmark = JsonNode.Parse(RecordedLines("watch-bookmarks.jsonl")[^1])!;
        Assert.Equal(Keys(recordedBookmark["object"]!.AsObject()), Keys(bookmark["object"]!.AsObject()));
        Assert.Equal(rv.ToString(), bookmark["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>());
        var without = await http.BodyAsync($"{KubeApiClient.ResourcePath}?watch=true&resourceVersion={rv}&timeoutSeconds=1");
        Assert.Equal("", without);
    }

    private static string[] Keys(JsonObject o) => [.. o.Select(p => p.Key).Order(StringComparer.Ordinal)];

    /// <summary>Plain HTTPS to the stand-in, for its raw answers (loopback, its own throwaway CA).</summary>
    private HttpClient RawClient() => new(new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = static (_, _, _, _) => true },
    })
    { BaseAddress = _api.Address, Timeout = TimeSpan.FromSeconds(30) };
}

internal static class RawHttp
{
    /// <summary>The body whatever the status: error answers are what some tests compare.</summary>
    public static async Task<string> BodyAsync(this HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        return await response.Content.ReadAsStringAsync();
    }
}
