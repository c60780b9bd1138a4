using System.Text.Json;
using Sidecar.Discovery.Model;
using Sidecar.Discovery;
using Sidecar.Tests.Support;

namespace Sidecar.Tests.Discovery;

public sealed class ResourceCacheTests
{
    private static FrpServer Server(string name, string rv, long traffic = 0, int remotePort = 2000)
    {
        var json = TestResources.FrpServer(name, connections: TestResources.Connection("a.x", traffic: traffic, remotePort: remotePort));
        json["metadata"]!["resourceVersion"] = rv;
        return json.Deserialize(FrpJsonContext.Default.FrpServer)!;
    }

    [Fact]
    public void Replace_NothingUsedChanged_KeepsExistingObjectWithoutSignal()
    {
        var cache = new ResourceCache();
        var changes = new CacheChanges(cache);
        var first = Server("a", "5");
        cache.Replace([first]);
        Assert.Equal(1, changes.Take());
        cache.Replace([Server("a", "5")]);
        cache.Replace([Server("a", "6", traffic: 99)]);
        Assert.Same(first, cache.Snapshot().Single());
        Assert.Equal(0, changes.Take());
        cache.Replace([Server("a", "7", remotePort: 2001)]);
        Assert.NotSame(first, cache.Snapshot().Single());
        Assert.Equal(1, changes.Take());
    }

    [Fact]
    public void Upsert_StatusCountersOnly_NoSignalNoNewObject()
    {
        var cache = new ResourceCache();
        var changes = new CacheChanges(cache);
        var first = Server("a", "5", traffic: 1);
        cache.Upsert(first);
        Assert.Equal(1, changes.Take());
        for (var i = 0; i < 100; i++)
        {
            cache.Upsert(Server("a", (6 + i).ToString(), traffic: 2 + i));
        }
        Assert.Same(first, cache.Snapshot().Single());
        Assert.Equal(0, changes.Take());
    }

    [Fact]
    public void Synced_TwoPartitions_CompletesAfterBoth()
    {
        var cache = new ResourceCache(partitions: 2);
        cache.Replace([Server("a", "1")], partition: 0);
        Assert.False(cache.Synced.IsCompleted);
        cache.Replace([Server("b", "1")], partition: 1);
        Assert.True(cache.Synced.IsCompleted);
        cache.Replace([], partition: 1);
        Assert.Equal(["a"], cache.Snapshot().Select(s => s.Name));
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
    public void Changed_WritesOfUsedFields_OneSignalEachRemoveIncluded()
    {
        var cache = new ResourceCache();
        var changes = new CacheChanges(cache);
        for (var i = 0; i < 10; i++)
        {
            cache.Upsert(Server("a", i.ToString(), remotePort: 2000 + i));
        }
        cache.Remove("a");
        cache.Remove("a");
        Assert.Equal(11, changes.Take());
    }

    [Fact]
    public void HoldsUnchanged_DigestKeptWithTheEntryUntilAnyWriteWithoutOne()
    {
        var cache = new ResourceCache(partitions: 2);
        byte[] digest = [1, 2, 3];
        bool Holds(int partition = 0) => cache.HoldsUnchanged("a", partition, digest);
        cache.Upsert(Server("a", "5"), 0, digest);
        Assert.True(Holds());
        Assert.False(Holds(partition: 1));
        Assert.False(cache.HoldsUnchanged("a", 0, [1, 2, 4]));
        cache.Upsert(Server("a", "6", traffic: 9), 0, digest); // kept object, digest still stands
        Assert.True(Holds());
        cache.Upsert(FrpServer.Malformed("a", "bad"), 0, digest);
        Assert.False(Holds());
        cache.Upsert(Server("a", "7"), 0, digest);
        cache.Replace([Server("a", "8")], 0);
        Assert.False(Holds());
        cache.Upsert(Server("a", "9"), 0, digest);
        cache.Upsert(Server("a", "10"), 1, digest);
        Assert.False(Holds());
        Assert.True(Holds(partition: 1));
        cache.Remove("a");
        Assert.False(Holds(partition: 1));
    }
}
