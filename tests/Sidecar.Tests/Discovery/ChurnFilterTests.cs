using System.Text;
using System.Text.Json.Nodes;
using Sidecar.Discovery;
using Sidecar.Discovery.Kubernetes;
using Sidecar.Discovery.Model;
using Sidecar.Tests.Support;

namespace Sidecar.Tests.Discovery;

/// <summary>
/// The filter as the watch loop uses it: offered each line first; a line it refuses is decoded and applied as before
/// (<see cref="Apply"/> does what KubernetesSource.Apply does with it). Field-by-field coverage is in UsedFieldsDigestTests.
/// </summary>
public sealed class ChurnFilterTests
{
    private readonly ResourceCache _cache = new(partitions: 2);
    private readonly ChurnFilter _filter;
    private readonly WatchPosition _position = new("1");

    public ChurnFilterTests() => _filter = new ChurnFilter(_cache, 0);

    private static JsonObject Server(string name = "a", long traffic = 0, int remotePort = 2000, string rv = "10", int connections = 1)
    {
        var items = Enumerable.Range(0, connections)
            .Select(i => TestResources.Connection(i == 0 ? "a.x" : $"p{i}.x", traffic: traffic + i, remotePort: remotePort + i)).ToArray();
        var server = TestResources.FrpServer(name, connections: items);
        server["metadata"]!["resourceVersion"] = rv;
        server["metadata"]!["managedFields"] = new JsonArray(new JsonObject { ["manager"] = "operator", ["time"] = $"2025-05-04T15:{traffic % 60:00}:00Z" });
        server["status"]!["serviceStatus"] = new JsonObject { ["totalBytesIn"] = traffic, ["uptime"] = $"{traffic}s" };
        return server;
    }

    private static byte[] Line(JsonNode server, string type = "MODIFIED") =>
        Encoding.UTF8.GetBytes(new JsonObject { ["type"] = type, ["object"] = server.DeepClone() }.ToJsonString());

    /// <returns>Whether the line was absorbed; if not, it was decoded and applied.</returns>
    private bool Offer(byte[] line, int partition = 0)
    {
        var filter = partition == 0 ? _filter : new ChurnFilter(_cache, partition);
        if (filter.Absorb(line, _position))
        {
            return true;
        }
        Apply(WatchLine.Parse(line), filter, partition);
        return false;
    }

    private void Apply(WatchLine e, ChurnFilter filter, int partition)
    {
        if (e.Type is not ("ADDED" or "MODIFIED" or "DELETED") || e.Server is not { } server)
        {
            return; // bookmarks and errors: the watch loop's business, not the cache's
        }
        if (server.Metadata?.ResourceVersion is { Length: > 0 } rv)
        {
            _position.ResourceVersion = rv;
        }
        if (e.Type == "DELETED") _cache.Remove(server.Name); else _cache.Upsert(server, partition, filter.Digest);
    }

    [Fact]
    public void Absorb_ChurnOnlyRewrites_SkippedAndResumeVersionAdvanced()
    {
        Assert.False(Offer(Line(Server(traffic: 1, rv: "10"), "ADDED")));
        var stored = _cache.Snapshot().Single();
        var changes = new CacheChanges(_cache);
        for (var i = 2; i < 10; i++)
        {
            // counters, times, managedFields and resourceVersion all change
            Assert.True(Offer(Line(Server(traffic: i, rv: $"{10 + i}"))), $"rewrite {i}");
        }
        Assert.Equal("19", _position.ResourceVersion);
        Assert.Same(stored, _cache.Snapshot().Single());
        Assert.Equal(0, changes.Take());
    }

    [Fact]
    public void Absorb_UsedFieldChanged_DecodedAppliedThenItsRewritesSkipped()
    {
        Offer(Line(Server(rv: "10")));
        Assert.False(Offer(Line(Server(remotePort: 2001, rv: "11"))));
        Assert.Equal(2001, _cache.Snapshot().Single().Status!.ActiveConnections![0].ProxyConfig!.RemotePort);
        Assert.True(Offer(Line(Server(remotePort: 2001, traffic: 5, rv: "12"))));
        Assert.False(Offer(Line(Server(remotePort: 2000, traffic: 6, rv: "13")))); // back to the first version: still a change
        Assert.Equal(2000, _cache.Snapshot().Single().Status!.ActiveConnections![0].ProxyConfig!.RemotePort);
    }

    [Fact]
    public void Absorb_WrittenDifferentlyButEqual_DecodedOnceKeptThenSkipped()
    {
        Offer(Line(Server(rv: "10")));
        var stored = _cache.Snapshot().Single();
        // "0.0.0.\u0030" is "0.0.0.0": other bytes, so decoded; UsedFields finds it equal and keeps the object.
        var escaped = Encoding.UTF8.GetString(Line(Server(rv: "11"))).Replace("\"bindAddr\":\"0.0.0.0\"", "\"bindAddr\":\"0.0.0.\\u0030\"", StringComparison.Ordinal);
        Assert.False(Offer(Encoding.UTF8.GetBytes(escaped)));
        Assert.True(Offer(Encoding.UTF8.GetBytes(escaped.Replace("\"11\"", "\"12\"", StringComparison.Ordinal))));
        Assert.Same(stored, _cache.Snapshot().Single());
        Assert.Equal("12", _position.ResourceVersion);
    }

    [Fact]
    public void Absorb_AfterRelistRemoveOrOtherPartition_DecodedAgain()
    {
        Offer(Line(Server(rv: "10")));
        Assert.True(Offer(Line(Server(rv: "11", traffic: 1))));
        _cache.Replace([WatchLine.Parse(Line(Server(remotePort: 2009, rv: "20"))).Server!], 0); // a relist: the list's objects have no digest
        Assert.False(Offer(Line(Server(rv: "21"))));
        Assert.Equal(2000, _cache.Snapshot().Single().Status!.ActiveConnections![0].ProxyConfig!.RemotePort);
        _cache.Remove("a");
        Assert.False(Offer(Line(Server(rv: "22"))));
        Assert.False(Offer(Line(Server(rv: "23")), partition: 1)); // the same name written by another scope
        Assert.False(Offer(Line(Server(rv: "24"))));
        Assert.True(Offer(Line(Server(rv: "25"))));
    }

    [Fact]
    public void Absorb_UnreadableVersionBetweenEqualOnes_WarnedThenRestored()
    {
        Offer(Line(Server(rv: "10")));
        var bad = Server(rv: "11");
        bad["status"]!["serviceStatus"]!["totalBytesIn"] = "lots"; // same used fields, but the decode records a problem
        Assert.False(Offer(Line(bad)));
        Assert.NotNull(_cache.Snapshot().Single().ParseError);
        Assert.False(Offer(Line(Server(rv: "12")))); // the good version again must replace the warning, not be skipped
        Assert.Null(_cache.Snapshot().Single().ParseError);
        Assert.True(Offer(Line(Server(rv: "13"))));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"type":"MODIFIED","object":{"metadata":{"name":"a","resourceVersion":"11"}""")] // cut short
    [InlineData("""{"type":"MODIFIED","object":{"metadata":{"name":"a","resourceVersion":"11"}}} {}""")] // data after the event
    [InlineData("""{"type":"MODIFIED","type":"DELETED","object":{"metadata":{"name":"a","resourceVersion":"11"}}}""")]
    [InlineData("""{"type":"MODIFIED","object":null}""")]
    [InlineData("""{"type":"MODIFIED","object":[]}""")]
    [InlineData("""{"type":"MODIFIED","object":{"metadata":{"name":"\u0061","resourceVersion":"11"}}}""")] // escaped name
    [InlineData("""{"type":"MODIFIED","object":{"metadata":{"name":"a","resourceVersion":11},"status":{}}}""")]
    [InlineData("""{"type":"MODIFIED","object":{"metadata":{"name":"a","resourceVersion":"11"},"status":{"serviceStatus":{"uptime":"\uD800"}}}}""")]
    [InlineData("""{"type":"MODIFIED","object":{"metadata":{"name":"a","resourceVersion":"11"},"status":{"ready":"yes"}}}""")]
    [InlineData("""{"type":"MODIFIED","object":{"metadata":{"name":"a","resourceVersion":"11","generation":1.5},"status":{}}}""")]
    [InlineData("""{"type":"MODIFIED","object":{"metadata":{"name":"a","resourceVersion":"11"},"status":{"conditions":[1]}}}""")]
    [InlineData("""{"type":"MODIFIED","object":{"metadata":{"name":"a","resourceVersion":"11"},"status":{"activeConnections":[null]}}}""")]
    public void Absorb_HostileLine_DecodedAsBeforeNeverThrows(string text)
    {
        // Cached with its digest: a hostile line equal to it in every compared field is still not skipped.
        Assert.False(Offer("""{"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"10"},"status":{}}}"""u8.ToArray()));
        Assert.True(Offer("""{"type":"MODIFIED","object":{"metadata":{"name":"a","resourceVersion":"10"},"status":{"ready":true}}}"""u8.ToArray()));
        _position.ResourceVersion = "1";
        Assert.False(_filter.Absorb(Encoding.UTF8.GetBytes(text), _position));
        Assert.Equal("1", _position.ResourceVersion);
    }

    [Fact]
    public void Absorb_InvalidUtf8InACounterTime_DecodedAsBefore()
    {
        Offer(Line(Server(rv: "10")));
        var line = Encoding.UTF8.GetString(Line(Server(rv: "11", traffic: 7))).Replace("\"7s\"", "\"\u00ff\"", StringComparison.Ordinal);
        var bytes = Encoding.Latin1.GetBytes(line); // one byte 0xFF: not UTF-8
        Assert.False(_filter.Absorb(bytes, _position));
        Assert.NotNull(WatchLine.Parse(bytes).Server!.ParseError);
    }

    [Fact]
    public void Absorb_OtherEventTypes_NeverSkipped()
    {
        Offer(Line(Server(rv: "10")));
        Assert.False(_filter.Absorb(Line(Server(rv: "11"), "DELETED"), _position));
        Assert.True(_filter.Digest.IsEmpty);
        Assert.False(_filter.Absorb(Line(Server(rv: "11"), "ADDED"), _position));
        Assert.False(_filter.Digest.IsEmpty);
        Assert.False(_filter.Absorb("""{"type":"BOOKMARK","object":{"kind":"FRPServer","metadata":{"resourceVersion":"12"}}}"""u8.ToArray(), _position));
        Assert.False(_filter.Absorb("""{"type":"ERROR","object":{"kind":"Status","code":410}}"""u8.ToArray(), _position));
        Assert.Equal("10", _position.ResourceVersion); // from the decoded first line only
    }

    [Fact]
    public void Absorb_RecordedWatchStream_StatusOnlyRewritesAfterTheFirstSkipped()
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "Discovery", "Data", "kube-apiserver-1.28");
        _cache.Replace(JsonRead.Whole(File.ReadAllBytes(Path.Combine(dir, "list-rv0.json")), FrpServerListConverter.ReadList)!.Items!, 0);
        var skipped = File.ReadAllLines(Path.Combine(dir, "watch-bookmarks.jsonl")).Where(l => l.Length > 0)
            .Select(l => Offer(Encoding.UTF8.GetBytes(l))).ToList();
        // The list's object has no digest, so the first rewrite (uptime 1s) is decoded; 2s and 3s are not.
        // ADDED, DELETED and the bookmarks are decoded as before.
        Assert.Equal([false, true, true, false, false, false, false, false], skipped);
        Assert.Equal(["frpserver-sample"], _cache.Snapshot().Select(s => s.Name));
    }

    [Fact]
    public void Absorb_NoOpRewriteOf50Connections_AllocatesNothing()
    {
        Offer(Line(Server(rv: "10", connections: 50)));
        var lines = Enumerable.Range(0, 4).Select(i => Line(Server(traffic: i + 1, rv: $"{11 + i}", connections: 50))).ToArray();
        for (var i = 0; i < 20; i++)
        {
            Assert.True(_filter.Absorb(lines[i % 4], _position)); // warm up: first calls compile
        }
        const int Events = 200;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Events; i++)
        {
            _filter.Absorb(lines[i % 4], _position);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // The decode allocated ~40 KB per such event; a generous bound, far below one decode in total.
        Assert.True(allocated < 16 * 1024, $"{allocated} bytes for {Events} skipped rewrites of {lines[0].Length} bytes");
    }
}
