using System.Text.Json;
using Sidecar.Discovery.Model;
using Sidecar.Discovery;
using Sidecar.Tests.Support;

namespace Sidecar.Tests.Discovery;

public sealed class ResourceCacheTests
{
    private static FrpServer Server(string name, string rv, long traffic = 0)
    {
        var json = TestResources.FrpServer(name, connections: TestResources.Connection("a.x", traffic: traffic));
        json["metadata"]!["resourceVersion"] = rv;
        return json.Deserialize(FrpJsonContext.Default.FrpServer)!;
    }

    [Fact]
    public void Replace_SameResourceVersion_KeepsExistingObject()
    {
        var cache = new ResourceCache();
        var first = Server("a", "5");
        cache.Replace([first]);
        cache.Replace([Server("a", "5")]);
        Assert.Same(first, cache.Snapshot().Single());
        cache.Replace([Server("a", "6")]);
        Assert.NotSame(first, cache.Snapshot().Single());
    }

    [Fact]
    public void Upsert_MalformedVersion_KeepsLastGoodBehindIt()
    {
        var cache = new ResourceCache();
        var good = Server("a", "5", traffic: 3);
        cache.Upsert(good);
        cache.Upsert(FrpServer.Malformed("a", "bad"));
        cache.Upsert(FrpServer.Malformed("a", "still bad"));
        var current = cache.Snapshot().Single();
        Assert.Equal("still bad", current.ParseError);
        Assert.Same(good, current.LastGood);
    }

    [Fact]
    public void Replace_MissingResource_Removed()
    {
        var cache = new ResourceCache();
        cache.Replace([Server("a", "1"), Server("b", "1")]);
        cache.Replace([Server("b", "1")]);
        Assert.Equal(["b"], cache.Snapshot().Select(s => s.Name));
        Assert.True(cache.Synced.IsCompleted);
    }

    [Fact]
    public void Changes_BurstOfWrites_CoalescesToOneSignal()
    {
        var cache = new ResourceCache();
        for (var i = 0; i < 10; i++)
        {
            cache.Upsert(Server("a", i.ToString()));
        }
        Assert.True(cache.Changes.TryRead(out _));
        Assert.False(cache.Changes.TryRead(out _));
    }
}
