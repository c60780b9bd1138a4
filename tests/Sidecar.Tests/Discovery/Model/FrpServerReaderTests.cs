using System.Text;
using System.Text.Json;
using Sidecar.Discovery.Model;

namespace Sidecar.Tests.Discovery.Model;

public sealed class FrpServerReaderTests
{
    private static FrpServer? Read(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();
        return FrpServerReader.Read(ref reader);
    }

    [Fact]
    public void Read_EveryModelledField_Read()
    {
        var server = Read("""
            {"apiVersion":"tunnel.kubeinfra.io/v1alpha1","kind":"FRPServer",
             "metadata":{"name":"edge","uid":"u-1","resourceVersion":"42","generation":3,"creationTimestamp":"2024-01-01T00:00:00Z",
                         "labels":{"a":"b"},"managedFields":[{"manager":"x"}]},
             "spec":{"bindAddr":"0.0.0.0","bindPort":7000,"kcpBindPort":7001,"quicBindPort":7002,"proxyBindAddr":"10.0.0.1",
                     "auth":{"method":"token","token":"s3cret"},"webServer":{"port":7500}},
             "status":{"ready":true,"observedGeneration":3,"internetAddr":"frps.example",
                       "conditions":[{"type":"Ready","status":"True","reason":"Up","message":"ok","lastTransitionTime":"t","observedGeneration":3}],
                       "serviceStatus":{"totalBytesIn":1,"totalBytesOut":2,"totalClients":3,"totalConnections":4,"totalProxies":5,"uptime":"1h","lastUpdateTime":"t"},
                       "activeConnections":[{"proxyName":"db","proxyType":"tcp","status":"online","proxyConfig":{"remotePort":6000}}]}}
            """)!;
        Assert.Equal(("tunnel.kubeinfra.io/v1alpha1", "FRPServer"), (server.ApiVersion, server.Kind));
        Assert.Equal(("edge", "u-1", "42", 3L), (server.Metadata!.Name, server.Metadata.Uid, server.Metadata.ResourceVersion, server.Metadata.Generation));
        Assert.Equal((7000, 7001, 7002, "10.0.0.1"), (server.Spec!.BindPort, server.Spec.KcpBindPort, server.Spec.QuicBindPort, server.Spec.ProxyBindAddr));
        Assert.Equal(("token", "s3cret"), (server.Spec.Auth!.Method, server.Spec.Auth.Token));
        Assert.Equal((true, 3L, "frps.example"), (server.Status!.Ready, server.Status.ObservedGeneration, server.Status.InternetAddr));
        Assert.Equal(("Ready", "Up", 3L), (server.Status.Conditions![0].Type, server.Status.Conditions[0].Reason, server.Status.Conditions[0].ObservedGeneration));
        Assert.Equal((5L, "1h"), (server.Status.ServiceStatus!.TotalProxies, server.Status.ServiceStatus.Uptime));
        Assert.Equal(6000, server.Status.ActiveConnections![0].ProxyConfig!.RemotePort);
    }

    [Fact]
    public void Read_NumbersAsStringsAndStringsAsNumbers_Accepted()
    {
        var server = Read("""{"metadata":{"name":123,"generation":"4"},"spec":{"bindPort":"7000"}}""")!;
        Assert.Equal(("123", 4L, 7000), (server.Name, server.Metadata!.Generation, server.Spec!.BindPort));
    }

    [Fact]
    public void Read_NullsEverywhere_LeftUnset()
    {
        var server = Read("""{"metadata":null,"spec":null,"status":{"conditions":null,"serviceStatus":null,"activeConnections":null,"ready":null}}""")!;
        Assert.Null(server.Metadata);
        Assert.Null(server.Spec);
        Assert.Null(server.Status!.ActiveConnections);
        Assert.Null(server.Status.Ready);
    }

    [Theory]
    [InlineData("""{"spec":{"bindPort":"not a port"}}""", "spec: bindPort: ")]
    [InlineData("""{"spec":{"bindPort":99999999999}}""", "spec: bindPort: ")]
    [InlineData("""{"spec":{"auth":{"token":{}}}}""", "spec: auth: token: ")]
    [InlineData("""{"status":{"ready":"yes"}}""", "status: ready: ")]
    [InlineData("""{"status":{"conditions":[{"observedGeneration":[]}]}}""", "status: conditions: observedGeneration: ")]
    [InlineData("""{"metadata":"edge"}""", "metadata: ")]
    [InlineData("""{"status":{"activeConnections":{}}}""", "status: activeConnections: ")]
    public void Read_WrongType_ThrowsNamingThePath(string json, string path)
    {
        var e = Assert.Throws<JsonException>(() => Read(json));
        Assert.StartsWith(path, e.Message);
    }

    [Fact]
    public void Read_OneBadConnection_OnlyThatItemMalformed()
    {
        var server = Read("""{"status":{"activeConnections":[{"proxyName":"bad","proxyConfig":{"remotePort":"x"}},{"proxyName":"good"}]}}""")!;
        var connections = server.Status!.ActiveConnections!;
        Assert.Equal(("bad", "good"), (connections[0].ProxyName, connections[1].ProxyName));
        Assert.Contains("remotePort", connections[0].ParseError);
        Assert.Null(connections[1].ParseError);
    }

    [Theory]
    [InlineData("""{"metadata":{"name":"a"}} {"metadata":{"name":"b"}}""")]
    [InlineData("""{"metadata":{"name":"a"}} x""")]
    [InlineData("")]
    public void Whole_NotExactlyOneValue_ThrowsJsonException(string json) =>
        Assert.ThrowsAny<JsonException>(() => JsonRead.Whole(Encoding.UTF8.GetBytes(json), FrpServerReader.Read));

    [Fact]
    public void Whole_OneValue_ReadAndNullForNull()
    {
        Assert.Equal("a", JsonRead.Whole("""  {"metadata":{"name":"a"}}  """u8, FrpServerReader.Read)!.Name);
        Assert.Null(JsonRead.Whole("null"u8, FrpServerReader.Read));
    }

    [Fact]
    public void Read_ThroughTheSerializer_SameReader()
    {
        var server = JsonSerializer.Deserialize("""{"metadata":{"name":"edge"},"spec":{"bindPort":"7000"}}""", FrpJsonContext.Default.FrpServer)!;
        Assert.Equal(("edge", 7000), (server.Name, server.Spec!.BindPort));
    }

    [Fact]
    public void ListConverter_MetadataAndItems_BadItemKept()
    {
        var list = JsonSerializer.Deserialize("""
            {"kind":"FRPServerList","metadata":{"resourceVersion":"9","continue":""},
             "items":[{"metadata":{"name":"a"}},{"metadata":{"name":"b"},"spec":{"bindPort":[]}},null]}
            """, FrpJsonContext.Default.FrpServerList)!;
        Assert.Equal("9", list.Metadata!.ResourceVersion);
        var items = list.Items!;
        Assert.Equal(["a", "b", ""], items.Select(s => s.Name));
        Assert.Null(items[0].ParseError);
        Assert.Contains("bindPort", items[1].ParseError);
        Assert.Equal("null item", items[2].ParseError);
    }
}
