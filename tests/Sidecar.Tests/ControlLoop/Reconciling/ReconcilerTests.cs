using System.Net;
using Sidecar.Addressing;
using Sidecar.Endpoints;
using Sidecar.ControlLoop.Reconciling;
using Sidecar.Tests.Support;
using Sidecar.Tunnels;

namespace Sidecar.Tests.ControlLoop.Reconciling;

public sealed class ReconcilerTests
{
    private readonly List<string> _journal = [];
    private readonly AddressAllocator _allocator;
    private readonly RecordingTunnelDriver _driver;
    private readonly RecordingNamePublisher _publisher;
    private readonly Reconciler _reconciler;

    public ReconcilerTests() : this("127.1.0.0/16", waitForTunnel: true)
    {
    }

    private ReconcilerTests(string range, bool waitForTunnel)
    {
        _allocator = new AddressAllocator(IPNetwork.Parse(range), [], new CapturingLogger<AddressAllocator>());
        _driver = new RecordingTunnelDriver(_journal);
        _publisher = new RecordingNamePublisher(_journal);
        _reconciler = new Reconciler(_allocator, _driver, _publisher, waitForTunnel, new CapturingLogger<Reconciler>());
    }

    private static Endpoint Ep(string service, int port = 3306, string resource = "r", string? secret = null, ProxyType type = ProxyType.Tcp) =>
        new(service, port, service, type, new FrpsTarget(resource, "10.0.0.1", 7000, null), 2000, secret);

    private static Dictionary<EndpointKey, Endpoint> Desired(params Endpoint[] endpoints) => endpoints.ToDictionary(e => e.Key);

    [Fact]
    public async Task ApplyAsync_NewEndpoint_OpensTunnelBeforePublishing()
    {
        var result = await _reconciler.ApplyAsync(Desired(Ep("a.x")), default);
        Assert.Equal(1, result.Added);
        Assert.True(_allocator.TryGet("a.x", out var address));
        Assert.Equal([$"open a.x:3306/tcp@{address}", "publish a.x"], _journal);
        Assert.Equal(address, _publisher.Table["a.x"]);
    }

    [Fact]
    public async Task ApplyAsync_RemovedEndpoint_UnpublishesThenClosesThenReleases()
    {
        await _reconciler.ApplyAsync(Desired(Ep("a.x"), Ep("b.x")), default);
        _allocator.TryGet("a.x", out var address);
        _journal.Clear();

        var result = await _reconciler.ApplyAsync(Desired(Ep("b.x")), default);
        Assert.Equal(1, result.Removed);
        Assert.Equal(["publish b.x", $"close a.x:3306/tcp@{address}"], _journal);
        Assert.False(_allocator.TryGet("a.x", out _));
    }

    [Fact]
    public async Task ApplyAsync_SameDesiredAgain_DoesNoWork()
    {
        await _reconciler.ApplyAsync(Desired(Ep("a.x")), default);
        var calls = _driver.Calls;
        var publishes = _publisher.PublishCount;
        var result = await _reconciler.ApplyAsync(Desired(Ep("a.x")), default);
        Assert.False(result.DidWork);
        Assert.Equal(calls, _driver.Calls);
        Assert.Equal(publishes, _publisher.PublishCount);
    }

    [Fact]
    public async Task ApplyAsync_ChangedSecretOrServer_ReopensOnSameAddressWithoutRepublishing()
    {
        await _reconciler.ApplyAsync(Desired(Ep("a.x", secret: "s1")), default);
        _allocator.TryGet("a.x", out var address);
        _journal.Clear();

        var result = await _reconciler.ApplyAsync(Desired(Ep("a.x", secret: "s2", resource: "other")), default);
        Assert.Equal(1, result.Changed);
        Assert.Equal([$"close a.x:3306/tcp@{address}", $"open a.x:3306/tcp@{address}"], _journal);
        Assert.Equal("s2", _driver.Open.Values.Single().Endpoint.SecretKey);
        Assert.Equal(address, _publisher.Table["a.x"]);
    }

    [Fact]
    public async Task ApplyAsync_OneOfTwoPortsRemoved_KeepsNameAndAddress()
    {
        await _reconciler.ApplyAsync(Desired(Ep("a.x", 1), Ep("a.x", 2)), default);
        _allocator.TryGet("a.x", out var address);
        await _reconciler.ApplyAsync(Desired(Ep("a.x", 2)), default);
        Assert.True(_allocator.TryGet("a.x", out var still));
        Assert.Equal(address, still);
        Assert.Equal(address, _publisher.Table["a.x"]);
        Assert.Single(_driver.Open);
    }

    [Fact]
    public async Task ApplyAsync_RangeExhausted_FailsOnlyNewServiceAndRetriesWhenFreed()
    {
        var small = new ReconcilerTests("10.0.0.0/30", waitForTunnel: true);
        var result = await small._reconciler.ApplyAsync(Desired(Ep("a.x"), Ep("b.x"), Ep("c.x")), default);
        Assert.Equal(2, result.Added);
        Assert.Equal(1, result.Unplaced);
        Assert.Equal(2, small._publisher.Table.Count);
        var unplaced = new[] { "a.x", "b.x", "c.x" }.Single(n => !small._publisher.Table.ContainsKey(n));

        // Still unplaced: no retry (and no repeated error) until something is freed.
        Assert.False((await small._reconciler.ApplyAsync(Desired(Ep("a.x"), Ep("b.x"), Ep("c.x")), default)).DidWork);

        var gone = new[] { "a.x", "b.x", "c.x" }.First(n => n != unplaced);
        var remaining = new[] { "a.x", "b.x", "c.x" }.Where(n => n != gone).Select(n => Ep(n)).ToArray();
        await small._reconciler.ApplyAsync(Desired(remaining), default);
        Assert.True(small._publisher.Table.ContainsKey(unplaced));
        Assert.False(small._publisher.Table.ContainsKey(gone));
    }

    [Fact]
    public async Task ApplyAsync_TunnelStillStarting_PublishesOnlyOnceListening()
    {
        _driver.StateOfOpen = TunnelState.Starting;
        await _reconciler.ApplyAsync(Desired(Ep("a.x")), default);
        Assert.Empty(_publisher.Table);
        Assert.False((await _reconciler.ApplyAsync(Desired(Ep("a.x")), default)).Published); // still starting

        _driver.StateOfOpen = TunnelState.Listening;
        var result = await _reconciler.ApplyAsync(Desired(Ep("a.x")), default);
        Assert.True(result.Published);
        Assert.True(_publisher.Table.ContainsKey("a.x"));
        Assert.False((await _reconciler.ApplyAsync(Desired(Ep("a.x")), default)).DidWork); // nothing waits any more
    }

    [Fact]
    public async Task ApplyAsync_NotWaitingForTunnels_PublishesStartingTunnels()
    {
        var eager = new ReconcilerTests("127.1.0.0/16", waitForTunnel: false);
        eager._driver.StateOfOpen = TunnelState.Starting;
        await eager._reconciler.ApplyAsync(Desired(Ep("a.x")), default);
        Assert.True(eager._publisher.Table.ContainsKey("a.x"));
    }

    [Fact]
    public async Task ApplyAsync_EverythingRemoved_PublishesEmptyTable()
    {
        await _reconciler.ApplyAsync(Desired(Ep("a.x")), default);
        await _reconciler.ApplyAsync(Desired(), default);
        Assert.Empty(_publisher.Table);
        Assert.Empty(_driver.Open);
        Assert.Equal(0, _allocator.Count);
    }
}
