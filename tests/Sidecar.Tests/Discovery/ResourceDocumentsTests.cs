using System.Text;
using Sidecar.Discovery.Files;

namespace Sidecar.Tests.Discovery;

public sealed class ResourceDocumentsTests
{
    internal static string SamplePath => Path.Combine(AppContext.BaseDirectory, "Discovery", "Data", "frpserver-sample.yaml");

    [Fact]
    public void Parse_VerbatimSample_ReadsSpecAndStatus()
    {
        var server = Assert.Single(ResourceDocuments.Parse(File.ReadAllBytes(SamplePath)));
        Assert.Null(server.ParseError);
        Assert.Equal("frpserver-sample", server.Name);
        Assert.Equal("689594", server.Metadata!.ResourceVersion);
        Assert.Equal(17000, server.Spec!.BindPort);
        Assert.Equal("0.0.0.0", server.Spec.BindAddr);
        var connection = Assert.Single(server.Status!.ActiveConnections!);
        Assert.Null(connection.ParseError);
        Assert.Equal("mysql.abc", connection.ProxyName);
        Assert.Equal("tcp", connection.ProxyType);
        Assert.Equal("online", connection.Status);
        Assert.Equal(2000, connection.ProxyConfig!.RemotePort);
        Assert.Equal("tcp", connection.ProxyConfig.Type);
        // Year 0000 does not fit DateTime: it stays an opaque string.
        Assert.Equal("0000-05-04T23:10:04Z", connection.StartTime);
        Assert.Equal("0.61.2", connection.ClientVersion);
        Assert.Equal("Ready", Assert.Single(server.Status.Conditions!).Type);
        Assert.Equal("0s", server.Status.ServiceStatus!.Uptime);
    }

    [Fact]
    public void Parse_JsonList_ReadsItems()
    {
        var text = """{"apiVersion":"v1","kind":"List","items":[{"metadata":{"name":"a"},"spec":{"bindPort":1}},{"metadata":{"name":"b"}}]}""";
        var servers = ResourceDocuments.Parse(Encoding.UTF8.GetBytes(text));
        Assert.Equal(["a", "b"], servers.Select(s => s.Name));
        Assert.Equal(1, servers[0].Spec!.BindPort);
    }

    [Fact]
    public void Parse_SeveralYamlDocuments_ReadsEach()
    {
        var text = "metadata:\n  name: a\n---\nmetadata:\n  name: b\n---\n";
        Assert.Equal(["a", "b"], ResourceDocuments.Parse(Encoding.UTF8.GetBytes(text)).Select(s => s.Name));
    }

    [Fact]
    public void Parse_UnquotedNumbersWhereStringsBelong_ReadsThemAsStrings()
    {
        var text = "metadata:\n  name: a\nspec:\n  auth:\n    token: 123456\nstatus:\n  activeConnections:\n  - proxyName: x\n    proxyConfig:\n      secretKey: 0042\n      remotePort: \"2000\"\n";
        var server = Assert.Single(ResourceDocuments.Parse(Encoding.UTF8.GetBytes(text)));
        Assert.Equal("123456", server.Spec!.Auth!.Token);
        var config = server.Status!.ActiveConnections![0].ProxyConfig!;
        Assert.Equal("42", config.SecretKey); // YAML 1.2 reads 0042 as the integer 42; quote it to keep zeros
        Assert.Equal(2000, config.RemotePort);
    }

    [Fact]
    public void Parse_OneItemWithWrongTypes_KeepsOthers()
    {
        var text = "metadata:\n  name: a\nstatus:\n  activeConnections:\n  - proxyName: bad\n    proxyConfig:\n      remotePort: [1]\n  - proxyName: good\n    proxyConfig:\n      remotePort: 2000\n";
        var connections = Assert.Single(ResourceDocuments.Parse(Encoding.UTF8.GetBytes(text))).Status!.ActiveConnections!;
        Assert.Equal(2, connections.Count);
        Assert.Equal("bad", connections[0].ProxyName);
        Assert.NotNull(connections[0].ParseError);
        Assert.Null(connections[1].ParseError);
        Assert.Equal(2000, connections[1].ProxyConfig!.RemotePort);
    }

    [Fact]
    public void Parse_ResourceWithWrongTypes_BecomesMalformedNamedItem()
    {
        var text = "metadata:\n  name: broken\nspec:\n  bindPort: {a: 1}\n---\nmetadata:\n  name: fine\n";
        var servers = ResourceDocuments.Parse(Encoding.UTF8.GetBytes(text));
        Assert.Equal("broken", servers[0].Name);
        Assert.NotNull(servers[0].ParseError);
        Assert.Null(servers[1].ParseError);
    }

    [Theory]
    [InlineData("metadata: [unclosed")]
    [InlineData("{\"metadata\": ")]
    [InlineData("just a string")]
    public void Parse_NotResources_ThrowsFormatException(string text) =>
        Assert.Throws<FormatException>(() => ResourceDocuments.Parse(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void Parse_ListOfScalars_GivesMalformedItems()
    {
        var servers = ResourceDocuments.Parse(Encoding.UTF8.GetBytes("- 1\n- 2\n"));
        Assert.Equal(2, servers.Count);
        Assert.All(servers, s => Assert.NotNull(s.ParseError));
    }

    [Fact]
    public void Parse_AliasBomb_ThrowsFormatException()
    {
        var lines = new List<string> { "a0: &a0 [x, x, x, x, x, x, x, x, x, x]" };
        for (var i = 1; i < 9; i++)
        {
            lines.Add($"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]");
        }
        Assert.Throws<FormatException>(() => ResourceDocuments.Parse(Encoding.UTF8.GetBytes(string.Join("\n", lines))));
    }
}
