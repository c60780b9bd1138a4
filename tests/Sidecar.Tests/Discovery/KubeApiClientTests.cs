using System.Net;
using System.Security.Authentication;
using Sidecar.Discovery.Kubernetes;
using Sidecar.Tests.Discovery.StandIn;
using Sidecar.Tests.Support;

namespace Sidecar.Tests.Discovery;

/// <summary>The real client code, configured through a kubeconfig, against the stand-in API server.</summary>
public sealed class KubeApiClientTests : IAsyncLifetime
{
    private StandInKubeApiServer _api = null!;
    private readonly string _dir = Directory.CreateTempSubdirectory("sidecar-kube-").FullName;

    public async Task InitializeAsync() => _api = await StandInKubeApiServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private KubeApiClient Client(string kubeconfig, TimeSpan? timeout = null) =>
        KubeApiClient.Create(KubeConfigLoader.Load(kubeconfig), timeout ?? TimeSpan.FromSeconds(20));

    [Fact]
    public async Task ListAsync_StandInWithTokenAndCa_ReturnsItems()
    {
        _api.Put(TestResources.FrpServer("one", connections: TestResources.Connection("a.x")));
        using var client = Client(_api.WriteKubeconfig(_dir));
        var list = await client.ListAsync(ResourceScope.All, KubeApiClient.AnyVersion, default);
        Assert.Equal("one", Assert.Single(list.Items!).Name);
        Assert.False(string.IsNullOrEmpty(list.Metadata!.ResourceVersion));
    }

    [Fact]
    public async Task Create_KubeconfigNamesCa_SystemStoreEmptiedServerStillTrustedChildrenGetOriginal()
    {
        _api.Put(TestResources.FrpServer("one", connections: TestResources.Connection("a.x")));
        using var client = Client(_api.WriteKubeconfig(_dir));
        Assert.True(SystemTrustStore.Disabled);
        Assert.Equal("/dev/null", SystemTrustStore.NativeValue(SystemTrustStore.FileVariable));
        Assert.Equal("", SystemTrustStore.NativeValue(SystemTrustStore.DirectoryVariable));
        var list = await client.ListAsync(ResourceScope.All, KubeApiClient.AnyVersion, default);
        Assert.Equal("one", Assert.Single(list.Items!).Name);

        var child = new Dictionary<string, string?> { [SystemTrustStore.FileVariable] = "/dev/null", [SystemTrustStore.DirectoryVariable] = "" };
        SystemTrustStore.RestoreFor(child);
        Assert.Equal(SystemTrustStore.Original.File, child.GetValueOrDefault(SystemTrustStore.FileVariable));
        Assert.Equal(SystemTrustStore.Original.Directory, child.GetValueOrDefault(SystemTrustStore.DirectoryVariable));
        Assert.NotEqual("/dev/null", SystemTrustStore.Original.File);
    }

    [Fact]
    public async Task ListAsync_ClientCertificate_Authorized()
    {
        using var client = Client(_api.WriteKubeconfig(_dir, clientCertificate: true));
        var list = await client.ListAsync(ResourceScope.All, KubeApiClient.AnyVersion, default);
        Assert.NotNull(list.Items);
        Assert.Equal(0, _api.UnauthorizedCount);
    }

    [Fact]
    public async Task ListAsync_WrongCa_RejectsServer()
    {
        using var client = Client(_api.WriteKubeconfig(_dir, wrongCa: true));
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.ListAsync(ResourceScope.All, KubeApiClient.AnyVersion, default));
        Assert.IsType<AuthenticationException>(e.InnerException);
        Assert.Equal(0, _api.ListCount);
    }

    [Fact]
    public async Task ListAsync_WrongToken_Throws401()
    {
        using var client = Client(_api.WriteKubeconfig(_dir, token: "not-the-token"));
        var e = await Assert.ThrowsAsync<KubeApiException>(() => client.ListAsync(ResourceScope.All, KubeApiClient.AnyVersion, default));
        Assert.Equal(HttpStatusCode.Unauthorized, e.Status);
        Assert.Equal(1, _api.UnauthorizedCount);
    }

    [Fact]
    public async Task ListAsync_ServerError_ThrowsWithStatusMessage()
    {
        _api.FailNextLists = 1;
        using var client = Client(_api.WriteKubeconfig(_dir));
        var e = await Assert.ThrowsAsync<KubeApiException>(() => client.ListAsync(ResourceScope.All, KubeApiClient.AnyVersion, default));
        Assert.Equal(HttpStatusCode.InternalServerError, e.Status);
        Assert.Contains("injected failure", e.Message);
    }

    [Fact]
    public async Task ListAsync_SlowerThanTimeout_ThrowsTimeout()
    {
        _api.ListDelay = TimeSpan.FromSeconds(30);
        using var client = Client(_api.WriteKubeconfig(_dir), TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAsync<TimeoutException>(() => client.ListAsync(ResourceScope.All, KubeApiClient.AnyVersion, default));
    }

    [Fact]
    public async Task WatchAsync_FromListVersion_StreamsLaterChanges()
    {
        using var client = Client(_api.WriteKubeconfig(_dir));
        var list = await client.ListAsync(ResourceScope.All, KubeApiClient.AnyVersion, default);
        _api.Put(TestResources.FrpServer("later"));
        using var cts = new CancellationTokenSource(Eventually.DefaultTimeout);
        await foreach (var e in client.WatchAsync(ResourceScope.All, list.Metadata!.ResourceVersion!, TimeSpan.FromSeconds(60), cts.Token))
        {
            Assert.Equal("ADDED", e.Type);
            Assert.Equal("later", e.Server!.Name);
            break;
        }
    }

    [Fact]
    public async Task ListAsync_Versions_FromWatchCacheOrNotOlderThanOrQuorum()
    {
        using var client = Client(_api.WriteKubeconfig(_dir));
        await client.ListAsync(ResourceScope.All, KubeApiClient.AnyVersion, default);
        Assert.Equal("resourceVersion=0", _api.LastListQuery);
        await client.ListAsync(ResourceScope.All, "1000", default);
        Assert.Equal("resourceVersion=1000&resourceVersionMatch=NotOlderThan", _api.LastListQuery);
        await client.ListAsync(ResourceScope.All, null, default);
        Assert.Equal("", _api.LastListQuery);
        Assert.Equal(1, _api.QuorumListCount);
    }

    [Fact]
    public async Task ListAsync_Scope_ServerFiltersByLabelAndName()
    {
        var labelled = TestResources.FrpServer("frps-a");
        labelled["metadata"]!["labels"] = new System.Text.Json.Nodes.JsonObject { ["team"] = "payments" };
        _api.Put(labelled);
        _api.Put(TestResources.FrpServer("frps-b"));
        using var client = Client(_api.WriteKubeconfig(_dir));
        var byLabel = await client.ListAsync(new ResourceScope("team in (payments,ops)", null), KubeApiClient.AnyVersion, default);
        Assert.Equal(["frps-a"], byLabel.Items!.Select(s => s.Name));
        var byName = await client.ListAsync(ResourceScope.Named("frps-b", null), KubeApiClient.AnyVersion, default);
        Assert.Equal(["frps-b"], byName.Items!.Select(s => s.Name));
        Assert.Contains("fieldSelector=metadata.name%3dfrps-b", _api.LastListQuery, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ListAsync_Forbidden_Throws403WithServerMessage()
    {
        _api.Forbid = true;
        using var client = Client(_api.WriteKubeconfig(_dir));
        var e = await Assert.ThrowsAsync<KubeApiException>(() => client.ListAsync(ResourceScope.All, KubeApiClient.AnyVersion, default));
        Assert.Equal(HttpStatusCode.Forbidden, e.Status);
        Assert.Contains("cannot list resource \"frpservers\"", e.Message);
    }

    [Fact]
    public async Task ListAsync_AnswerOverBound_InvalidDataNamingTheBound()
    {
        // A broken or hostile API server answering with more than the bound: refused, never buffered whole.
        for (var i = 0; i < 100; i++)
        {
            _api.Put(Padded($"frps-{i}", 1024));
        }
        using var client = KubeApiClient.Create(KubeConfigLoader.Load(_api.WriteKubeconfig(_dir)), TimeSpan.FromSeconds(20), maxListBytes: 64 * 1024);

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => client.ListAsync(ResourceScope.All, KubeApiClient.AnyVersion, default));

        Assert.Contains("list answer is larger than 0.06 MiB", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAsync_AnswerUnderBound_Parsed()
    {
        _api.Put(Padded("frps-a", 1024));
        using var client = KubeApiClient.Create(KubeConfigLoader.Load(_api.WriteKubeconfig(_dir)), TimeSpan.FromSeconds(20), maxListBytes: 64 * 1024);

        var list = await client.ListAsync(ResourceScope.All, KubeApiClient.AnyVersion, default);

        Assert.Equal("frps-a", Assert.Single(list.Items!).Name);
    }

    [Fact]
    public async Task WatchAsync_EventOverBound_InvalidData()
    {
        using var client = KubeApiClient.Create(KubeConfigLoader.Load(_api.WriteKubeconfig(_dir)), TimeSpan.FromSeconds(20), maxEventBytes: 16 * 1024);
        var list = await client.ListAsync(ResourceScope.All, KubeApiClient.AnyVersion, default);
        _api.Put(Padded("huge", 64 * 1024));
        using var cts = new CancellationTokenSource(Eventually.DefaultTimeout);

        await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (var _ in client.WatchAsync(ResourceScope.All, list.Metadata!.ResourceVersion!, TimeSpan.FromSeconds(60), cts.Token))
            {
            }
        });
    }

    [Fact]
    public void Bounds_EventUnderListUnderPodMemoryLimit()
    {
        // etcd's default request limit is 1.5 MiB per object; the Pod example's memory limit is 64 MiB.
        Assert.InRange(KubeApiClient.MaxEventBytes, 2 * 1024 * 1024, KubeApiClient.MaxListBytes);
        Assert.True(KubeApiClient.MaxListBytes <= 16 * 1024 * 1024);
    }

    private static System.Text.Json.Nodes.JsonObject Padded(string name, int bytes)
    {
        var server = TestResources.FrpServer(name);
        server["metadata"]!["annotations"] = new System.Text.Json.Nodes.JsonObject { ["padding"] = new string('x', bytes) };
        return server;
    }

    [Fact]
    public void Load_MissingKubeconfig_StartupExceptionNamesPath()
    {
        var e = Assert.Throws<Sidecar.Hosting.StartupException>(() => KubeConfigLoader.Load(Path.Combine(_dir, "nope")));
        Assert.Contains("nope", e.Message);
    }
}
