using System.Text.Json.Nodes;

namespace Sidecar.Tests.Support;

/// <summary>Builds FRPServer objects in the API's JSON shape.</summary>
internal static class TestResources
{
    public static JsonObject FrpServer(string name, string created = "2025-05-04T14:09:04Z", string? internetAddr = "10.0.0.7",
        int? bindPort = 17000, params JsonObject[] connections)
    {
        var status = new JsonObject { ["activeConnections"] = new JsonArray([.. connections]) };
        if (internetAddr is not null)
        {
            status["internetAddr"] = internetAddr;
        }
        var spec = new JsonObject { ["bindAddr"] = "0.0.0.0" };
        if (bindPort is { } port)
        {
            spec["bindPort"] = port;
        }
        return new JsonObject
        {
            ["apiVersion"] = "tunnel.kubeinfra.io/v1alpha1",
            ["kind"] = "FRPServer",
            ["metadata"] = new JsonObject { ["name"] = name, ["uid"] = $"uid-{name}", ["creationTimestamp"] = created },
            ["spec"] = spec,
            ["status"] = status,
        };
    }

    public static JsonObject Connection(string proxyName, string type = "tcp", int? remotePort = 2000, string status = "online",
        int? localPort = null, string? secretKey = null, long traffic = 0)
    {
        var config = new JsonObject { ["name"] = proxyName, ["type"] = type, ["localIP"] = "127.0.0.1" };
        if (remotePort is { } r) config["remotePort"] = r;
        if (localPort is { } l) config["localPort"] = l;
        if (secretKey is not null) config["secretKey"] = secretKey;
        return new JsonObject
        {
            ["proxyName"] = proxyName,
            ["proxyType"] = type,
            ["status"] = status,
            ["startTime"] = "0000-05-04T23:10:04Z",
            ["todayTrafficIn"] = traffic,
            ["proxyConfig"] = config,
        };
    }
}
