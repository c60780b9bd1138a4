using System.Net;
using System.Text.Json;
using Sidecar.Addressing;
using Sidecar.Admin;
using Sidecar.ControlLoop.Reconciling;
using Sidecar.Endpoints;
using Sidecar.Tests.Support;

namespace Sidecar.Tests.Admin;

public sealed class MappingBoardReaderTests
{
    [Fact]
    public async Task GetMappings_EndpointsWithSecretAndToken_ShowEverythingButTheSecrets()
    {
        var journal = new List<string>();
        var driver = new RecordingTunnelDriver(journal);
        var board = new MappingBoard(driver);
        var reconciler = new Reconciler(new AddressAllocator(IPNetwork.Parse("127.1.0.0/24"), [], new CapturingLogger<AddressAllocator>()),
            driver, new RecordingNamePublisher(journal), waitForTunnel: true, new CapturingLogger<Reconciler>(), board: board);
        var server = new FrpsTarget("frp-east", "10.0.0.9", 7000, Token: "tok-5f3a9c-do-not-leak");
        Endpoint[] endpoints =
        [
            new("redis.abc", 6379, "redis.abc", ProxyType.Stcp, server, null, SecretKey: "sk-81b2e4-do-not-leak"),
            new("mysql.abc", 3306, "mysql.abc", ProxyType.Tcp, server, 2000, null),
        ];
        await reconciler.ApplyAsync(endpoints.ToDictionary(e => e.Key), default);

        var json = JsonSerializer.Serialize(new MappingBoardReader(board).GetMappings(), AdminJsonContext.Default.IReadOnlyListMappingView);

        Assert.DoesNotContain("do-not-leak", json);
        using var document = JsonDocument.Parse(json);
        var names = document.RootElement.EnumerateArray().Select(m => m.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(["mysql.abc", "redis.abc"], names);
        var mysql = document.RootElement[0].GetProperty("ports")[0];
        Assert.Equal("10.0.0.9:2000", mysql.GetProperty("target").GetString()); // forwarder dials remotePort
        Assert.Equal("frp-east", mysql.GetProperty("server").GetString());
        Assert.Equal("listening", mysql.GetProperty("tunnelState").GetString());
        var redis = document.RootElement[1].GetProperty("ports")[0];
        Assert.Equal("10.0.0.9:7000", redis.GetProperty("target").GetString()); // visitor dials frps's bind port
        Assert.Equal("stcp", redis.GetProperty("proxyType").GetString());
    }
}
