using System.Net;
using FakeFrpc;
using Sidecar.Endpoints;
using Sidecar.Tunnels;
using Sidecar.Tunnels.Frpc;
using Tomlyn;
using Tomlyn.Model;

namespace Sidecar.Tests.Tunnels.Frpc;

public sealed class FrpcConfigRendererTests
{
    private static readonly FrpcAdminCredentials Admin = new("admin-user", "admin-pass");

    private static string Render(FrpsTarget server, params Tunnel[] tunnels) =>
        FrpcConfigRenderer.Render(FrpcConfigRenderer.Build(server, Admin, 7400,
            tunnels.Select((t, i) => new FrpcVisitor(t, $"v{i}"))));

    [Fact]
    public void Render_StcpAndSudpVisitors_WritesFrpcKeys()
    {
        var text = Render(TestTunnels.Server(17000),
            TestTunnels.Visitor(ProxyType.Stcp, "mysql.abc", 3306),
            TestTunnels.Visitor(ProxyType.Sudp, "dns.abc", 53, secretKey: null));
        var root = TomlSerializer.Deserialize<TomlTable>(text)!;

        Assert.Equal("127.0.0.1", root["serverAddr"]);
        Assert.Equal(17000L, root["serverPort"]);
        Assert.Equal(false, root["loginFailExit"]);
        Assert.Equal("token", ((TomlTable)root["auth"])["method"]);
        var web = (TomlTable)root["webServer"];
        Assert.Equal("127.0.0.1", web["addr"]);
        Assert.Equal(7400L, web["port"]);
        var visitors = (TomlTableArray)root["visitors"];
        Assert.Equal(2, visitors.Count);
        Assert.Equal("stcp", visitors[0]["type"]);
        Assert.Equal("mysql.abc", visitors[0]["serverName"]);
        Assert.Equal("sk-1", visitors[0]["secretKey"]);
        Assert.Equal(3306L, visitors[0]["bindPort"]);
        Assert.Equal("127.0.0.1", visitors[0]["bindAddr"]);
        Assert.False(visitors[1].ContainsKey("secretKey"));
    }

    [Fact]
    public void Render_AnyConfig_AcceptedByStrictFrpcReader()
    {
        var text = Render(TestTunnels.Server(), TestTunnels.Visitor(ProxyType.Xtcp, "p2p.abc", 2222));

        // The stand-in rejects unknown keys as frpc does: everything we write must be a key frpc knows.
        var config = FakeConfigReader.Parse(text);

        Assert.Equal("xtcp", Assert.Single(config.Visitors).Type);
        Assert.Equal("admin-user", config.WebServer.User);
    }

    [Fact]
    public void Render_XtcpWithStcpFallback_AddsNonListeningStcpVisitorItFallsBackTo()
    {
        var xtcp = TestTunnels.Visitor(ProxyType.Xtcp, "xtcp://p2p.abc:2222/svc", 2222, secretKey: null);
        xtcp = xtcp with { Endpoint = xtcp.Endpoint with { FallbackProxyName = "stcp://p2p.abc:2222/svc", FallbackSecretKey = "sk-fallback" } };

        var text = Render(TestTunnels.Server(), xtcp);
        var visitors = (TomlTableArray)TomlSerializer.Deserialize<TomlTable>(text)!["visitors"];

        Assert.Equal(2, visitors.Count);
        Assert.Equal("xtcp", visitors[0]["type"]);
        Assert.Equal("v0-fallback", visitors[0]["fallbackTo"]);
        Assert.Equal((long)FrpcVisitor.FallbackTimeoutMs, visitors[0]["fallbackTimeoutMs"]);
        Assert.Equal(2222L, visitors[0]["bindPort"]);
        Assert.Equal("v0-fallback", visitors[1]["name"]);
        Assert.Equal("stcp", visitors[1]["type"]);
        Assert.Equal("stcp://p2p.abc:2222/svc", visitors[1]["serverName"]);
        Assert.Equal("sk-fallback", visitors[1]["secretKey"]);
        Assert.Equal(-1L, visitors[1]["bindPort"]); // reached only through the fallback
        Assert.Equal(2, FakeConfigReader.Parse(text).Visitors.Count); // keys and values frpc accepts
    }

    [Fact]
    public void Render_NoVisitors_AcceptedByStrictFrpcReader()
    {
        var text = Render(TestTunnels.Server());

        Assert.Empty(FakeConfigReader.Parse(text).Visitors);
    }

    [Fact]
    public void Render_NoToken_OmitsAuthTable()
    {
        var text = Render(TestTunnels.Server(token: null), TestTunnels.Visitor(ProxyType.Stcp, "a", 1000));

        Assert.False(TomlSerializer.Deserialize<TomlTable>(text)!.ContainsKey("auth"));
    }

    [Theory]
    [InlineData("quote\" and backslash\\")]
    [InlineData("line\nbreak\r\nand\ttab")]
    [InlineData("\"\n[webServer]\nport = 1\nuser = \"evil")]
    [InlineData("\u0001\u001f\u007f control")]
    [InlineData("'''\"\"\"")]
    public void Render_HostileSecrets_RoundTripAsData(string secret)
    {
        var server = new FrpsTarget("frps-a", "127.0.0.1", 7000, secret);
        var text = Render(server, TestTunnels.Visitor(ProxyType.Stcp, "a", 1000, server, secretKey: secret));

        var root = TomlSerializer.Deserialize<TomlTable>(text)!;
        var web = (TomlTable)root["webServer"];
        var visitor = Assert.Single((TomlTableArray)root["visitors"]);

        Assert.Equal(secret, ((TomlTable)root["auth"])["token"]);
        Assert.Equal(secret, visitor["secretKey"]);
        Assert.Equal(7400L, web["port"]);
        Assert.Equal("admin-user", web["user"]);
        Assert.Equal(4, web.Count);
    }

    [Fact]
    public void Build_IPv6LocalAddress_BindsThatAddress()
    {
        var tunnel = TestTunnels.Visitor(ProxyType.Stcp, "a", 1000) with { LocalAddress = IPAddress.IPv6Loopback };

        var config = FrpcConfigRenderer.Build(TestTunnels.Server(), Admin, 7400, [new FrpcVisitor(tunnel, "v")]);

        Assert.Equal("::1", Assert.Single(config.Visitors).BindAddr);
    }
}
