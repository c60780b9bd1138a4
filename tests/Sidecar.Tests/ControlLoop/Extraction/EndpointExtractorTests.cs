using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sidecar.Configuration;
using Sidecar.ControlLoop.Extraction;
using Sidecar.ControlLoop;
using Sidecar.Discovery.Files;
using Sidecar.Discovery.Model;
using Sidecar.Endpoints;
using Sidecar.Tests.Discovery;
using Sidecar.Tests.Support;

namespace Sidecar.Tests.ControlLoop.Extraction;

public sealed class EndpointExtractorTests
{
    private readonly CapturingLogger<EndpointExtractor> _log = new();

    private EndpointExtractor Create(string mapped, string? frpsAddr = null, string? token = null) =>
        new(new EndpointRules(ServiceNames.ParseMappedServices(mapped, 100).ToDictionary(s => s.Name), frpsAddr, token), _log);

    private static FrpServer Decode(JsonObject json) => json.Deserialize(FrpJsonContext.Default.FrpServer)!;

    [Fact]
    public void Extract_VerbatimSample_YieldsMysqlAbc()
    {
        var sample = ResourceDocuments.Parse(File.ReadAllBytes(ResourceDocumentsTests.SamplePath));
        var endpoint = Assert.Single(Create("mysql.abc", frpsAddr: "172.31.19.105").Extract(sample).Values);
        Assert.Equal("mysql.abc", endpoint.Service);
        Assert.Equal(ProxyType.Tcp, endpoint.ProxyType);
        Assert.Equal(2000, endpoint.RemotePort);
        Assert.Equal(2000, endpoint.Port);
        Assert.Equal(17000, endpoint.Server.Port);
        // bindAddr is 0.0.0.0 and there is no internetAddr: --frps-addr is the host to dial.
        Assert.Equal("172.31.19.105", endpoint.Server.Host);
        Assert.Equal("frpserver-sample", endpoint.Server.Resource);
        Assert.Null(endpoint.SecretKey);
    }

    [Fact]
    public void Extract_SampleWithoutFrpsAddr_SkipsWithOneWarning()
    {
        var sample = ResourceDocuments.Parse(File.ReadAllBytes(ResourceDocumentsTests.SamplePath));
        var extractor = Create("mysql.abc");
        Assert.Empty(extractor.Extract(sample));
        Assert.Empty(extractor.Extract(sample));
        var warning = Assert.Single(_log.Entries, e => e.EventId == ControlLoopEventIds.ItemSkipped);
        Assert.Contains("frpserver-sample", warning.Message);
        Assert.Contains("mysql.abc", warning.Message);
        Assert.Contains("--frps-addr", warning.Message);
    }

    [Fact]
    public void Extract_UriProxyName_UsesHostSchemeAndPort()
    {
        var server = TestResources.FrpServer("s", connections: TestResources.Connection("tcp://mysql.default.cluster-a:3306/svc/10.0.0.5?x=y", type: "stcp", remotePort: null, secretKey: "k"));
        var endpoint = Assert.Single(Create("mysql.default.cluster-a").Extract([Decode(server)]).Values);
        Assert.Equal("mysql.default.cluster-a", endpoint.Service);
        Assert.Equal(3306, endpoint.Port);
        Assert.Equal(ProxyType.Stcp, endpoint.ProxyType);
        Assert.Equal("tcp://mysql.default.cluster-a:3306/svc/10.0.0.5?x=y", endpoint.ProxyName);
        Assert.Equal("k", endpoint.SecretKey);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Extract_XtcpWithStcpTwin_OneXtcpEndpointFallingBackToStcp(bool xtcpFirst)
    {
        var xtcp = TestResources.Connection("xtcp://redis.default.cluster-a:6379/svc", type: "xtcp", remotePort: null);
        var stcp = TestResources.Connection("stcp://redis.default.cluster-a:6379/svc", type: "stcp", remotePort: null, secretKey: "sk-stcp");
        var server = TestResources.FrpServer("s", connections: xtcpFirst ? [xtcp, stcp] : [stcp, xtcp]);

        var endpoint = Assert.Single(Create("redis.default.cluster-a").Extract([Decode(server)]).Values);

        Assert.Equal(ProxyType.Xtcp, endpoint.ProxyType);
        Assert.Equal("xtcp://redis.default.cluster-a:6379/svc", endpoint.ProxyName);
        Assert.Equal("stcp://redis.default.cluster-a:6379/svc", endpoint.FallbackProxyName);
        Assert.Equal("sk-stcp", endpoint.FallbackSecretKey);
    }

    [Theory]
    [InlineData("m.x:15", "tcp://m.x:25/svc", 35, 45, 15)]
    [InlineData("m.x", "tcp://m.x:25/svc", 35, 45, 25)]
    [InlineData("m.x", "m.x", 35, 45, 35)]
    [InlineData("m.x", "m.x", null, 45, 45)]
    public void Extract_PortPrecedence_MappedThenUriThenLocalThenRemote(string mapped, string proxyName, int? localPort, int remotePort, int expected)
    {
        var server = TestResources.FrpServer("s", connections: TestResources.Connection(proxyName, remotePort: remotePort, localPort: localPort));
        Assert.Equal(expected, Assert.Single(Create(mapped).Extract([Decode(server)]).Values).Port);
    }

    [Fact]
    public void Extract_OfflineAndUnmapped_Ignored()
    {
        var server = TestResources.FrpServer("s", connections: [
            TestResources.Connection("a.x", status: "offline"),
            TestResources.Connection("b.x"),
            TestResources.Connection("c.x", remotePort: 3000)]);
        var endpoints = Create("a.x,c.x").Extract([Decode(server)]);
        Assert.Equal(["c.x"], endpoints.Values.Select(e => e.Service));
        Assert.Empty(_log.Entries);
    }

    [Fact]
    public void Extract_OneServiceSeveralPorts_OneEndpointPerPort()
    {
        var server = TestResources.FrpServer("s", connections: [
            TestResources.Connection("tcp://db.x:5432/svc", remotePort: 2001),
            TestResources.Connection("tcp://db.x:5433/svc", remotePort: 2002)]);
        var endpoints = Create("db.x").Extract([Decode(server)]);
        Assert.Equal([5432, 5433], endpoints.Values.Select(e => e.Port).Order());
    }

    [Theory]
    [InlineData("10.1.1.1", "192.168.0.9", "fallback", "10.1.1.1")]
    [InlineData(null, "192.168.0.9", "fallback", "192.168.0.9")]
    [InlineData(null, "0.0.0.0", "fallback", "fallback")]
    [InlineData(null, "::", "fallback", "fallback")]
    public void Extract_FrpsAddress_InternetAddrThenConcreteBindAddrThenSetting(string? internetAddr, string bindAddr, string setting, string expected)
    {
        var server = TestResources.FrpServer("s", internetAddr: internetAddr, bindPort: null, connections: TestResources.Connection("a.x"));
        server["spec"]!["bindAddr"] = bindAddr;
        var endpoint = Assert.Single(Create("a.x", frpsAddr: setting).Extract([Decode(server)]).Values);
        Assert.Equal(expected, endpoint.Server.Host);
        Assert.Equal(FrpsTarget.DefaultPort, endpoint.Server.Port);
    }

    [Theory]
    [InlineData("from-setting", "from-spec", "from-setting")]
    [InlineData(null, "from-spec", "from-spec")]
    [InlineData(null, null, null)]
    public void Extract_Token_SettingThenSpec(string? setting, string? spec, string? expected)
    {
        var server = TestResources.FrpServer("s", connections: TestResources.Connection("a.x"));
        if (spec is not null)
        {
            server["spec"]!["auth"] = new JsonObject { ["method"] = "token", ["token"] = spec };
        }
        Assert.Equal(expected, Assert.Single(Create("a.x", token: setting).Extract([Decode(server)]).Values).Server.Token);
    }

    [Fact]
    public void Extract_MalformedItems_SkippedWithOneWarningEachOthersKept()
    {
        var bad = TestResources.Connection("bad.x");
        bad["proxyConfig"]!["remotePort"] = "not a number";
        var server = TestResources.FrpServer("res", connections: [
            bad,
            TestResources.Connection("absurd.x", remotePort: 70000),
            TestResources.Connection("noport.x", remotePort: null),
            TestResources.Connection("weird.x", type: "carrier-pigeon"),
            TestResources.Connection("bad name!"),
            TestResources.Connection("good.x")]);
        var extractor = Create("bad.x,absurd.x,noport.x,weird.x,good.x");
        var decoded = Decode(server);
        for (var pass = 0; pass < 3; pass++)
        {
            Assert.Equal(["good.x"], extractor.Extract([decoded]).Values.Select(e => e.Service));
        }
        var warnings = _log.Entries.Where(e => e.EventId == ControlLoopEventIds.ItemSkipped).Select(e => e.Message).ToList();
        Assert.Equal(5, warnings.Count);
        Assert.All(warnings, w => Assert.Contains("res", w));
        Assert.Contains(warnings, w => w.Contains("bad.x") && w.Contains("remotePort"));
        Assert.Contains(warnings, w => w.Contains("absurd.x") && w.Contains("70000"));
        Assert.Contains(warnings, w => w.Contains("noport.x"));
        Assert.Contains(warnings, w => w.Contains("carrier-pigeon"));
        Assert.Contains(warnings, w => w.Contains("bad name!"));
    }

    [Fact]
    public void Extract_TwoResourcesOfferService_OldestWinsThenFailsOver()
    {
        var older = TestResources.FrpServer("zeta", created: "2024-01-01T00:00:00Z", internetAddr: "10.0.0.1", connections: TestResources.Connection("a.x"));
        var newer = TestResources.FrpServer("alpha", created: "2025-01-01T00:00:00Z", internetAddr: "10.0.0.2", connections: TestResources.Connection("a.x"));
        var extractor = Create("a.x");
        Assert.Equal("zeta", Assert.Single(extractor.Extract([Decode(newer), Decode(older)]).Values).Server.Resource);
        Assert.Single(_log.Entries, e => e.EventId == ControlLoopEventIds.EndpointContested);

        older["status"]!["activeConnections"]![0]!["status"] = "offline";
        Assert.Equal("alpha", Assert.Single(extractor.Extract([Decode(newer), Decode(older)]).Values).Server.Resource);
        Assert.Single(_log.Entries, e => e.EventId == ControlLoopEventIds.EndpointFailover);
    }

    [Fact]
    public void Extract_SameCreationTime_NameDecides()
    {
        var b = TestResources.FrpServer("b", internetAddr: "10.0.0.2", connections: TestResources.Connection("a.x"));
        var a = TestResources.FrpServer("a", internetAddr: "10.0.0.1", connections: TestResources.Connection("a.x"));
        Assert.Equal("a", Assert.Single(Create("a.x").Extract([Decode(b), Decode(a)]).Values).Server.Resource);
    }

    [Fact]
    public void Extract_CountersChanged_SameEndpoints()
    {
        var extractor = Create("a.x");
        var first = extractor.Extract([Decode(TestResources.FrpServer("s", connections: TestResources.Connection("a.x", traffic: 1)))]);
        var second = extractor.Extract([Decode(TestResources.FrpServer("s", connections: TestResources.Connection("a.x", traffic: 999)))]);
        Assert.Equal(first.Values.Single(), second.Values.Single());
    }
}
