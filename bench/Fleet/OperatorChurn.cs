using System.Text.Json.Nodes;

namespace Sidecar.Bench.Fleet;

/// <summary>
/// The operator's habit (docs/scale.md): every FRPServer's status rewritten once a second with new
/// traffic counters and uptime, nothing else changed. Objects carry the metadata a real one does
/// (last-applied annotation, managedFields, as in the kube-apiserver recordings) so sizes are honest.
/// </summary>
internal static class OperatorChurn
{
    public static JsonObject Server(int index, int connections, long tick)
    {
        var name = $"frps-{index}";
        var active = new JsonArray();
        for (var c = 0; c < connections; c++)
        {
            active.Add(Connection($"svc-{index}-{c}.fleet", 20000 + c, tick * (c + 1)));
        }
        return new JsonObject
        {
            ["apiVersion"] = "tunnel.kubeinfra.io/v1alpha1",
            ["kind"] = "FRPServer",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["uid"] = $"00000000-0000-4000-8000-{index:D12}",
                ["creationTimestamp"] = "2026-11-29T18:04:24Z",
                ["generation"] = 1,
                ["labels"] = new JsonObject { ["fleet"] = index % 2 == 0 ? "even" : "odd" },
                ["annotations"] = new JsonObject
                {
                    ["kubectl.kubernetes.io/last-applied-configuration"] =
                        $"{{\"apiVersion\":\"tunnel.kubeinfra.io/v1alpha1\",\"kind\":\"FRPServer\",\"metadata\":{{\"annotations\":{{}},\"name\":\"{name}\"}},\"spec\":{{\"bindAddr\":\"0.0.0.0\",\"bindPort\":17000}}}}\n",
                },
                ["managedFields"] = JsonNode.Parse("""
                    [{"apiVersion":"tunnel.kubeinfra.io/v1alpha1","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{".":{},"f:bindAddr":{},"f:bindPort":{}}},"manager":"kubectl-client-side-apply","operation":"Update","time":"2026-11-29T18:04:24Z"},
                     {"apiVersion":"tunnel.kubeinfra.io/v1alpha1","fieldsType":"FieldsV1","fieldsV1":{"f:status":{".":{},"f:activeConnections":{},"f:internetAddr":{},"f:serviceStatus":{".":{},"f:uptime":{}}}},"manager":"frp-operator","operation":"Update","subresource":"status","time":"2026-11-29T18:04:25Z"}]
                    """),
            },
            ["spec"] = new JsonObject { ["bindAddr"] = "0.0.0.0", ["bindPort"] = 17000 },
            ["status"] = new JsonObject
            {
                ["internetAddr"] = "127.0.0.1",
                ["serviceStatus"] = new JsonObject
                {
                    ["uptime"] = $"{tick}s",
                    ["totalBytesIn"] = tick * 123_456,
                    ["totalBytesOut"] = tick * 654_321,
                    ["totalClients"] = connections,
                    ["totalConnections"] = tick % 97,
                    ["totalProxies"] = connections,
                    ["lastUpdateTime"] = DateTimeOffset.UnixEpoch.AddSeconds(1_796_000_000 + tick).ToString("O"),
                },
                ["activeConnections"] = active,
            },
        };
    }

    private static JsonObject Connection(string proxyName, int remotePort, long traffic) => new()
    {
        ["proxyName"] = proxyName,
        ["proxyType"] = "tcp",
        ["status"] = "online",
        ["clientName"] = "frpc-" + proxyName,
        ["clientVersion"] = "0.61.2",
        ["localAddr"] = "10.244.1.17:7000",
        ["remoteAddr"] = "10.244.3.42:51234",
        ["startTime"] = "0000-05-04T23:10:04Z",
        ["lastCloseTime"] = "0000-05-04T23:12:44Z",
        ["bytesIn"] = traffic * 1500,
        ["bytesOut"] = traffic * 900,
        ["currentConnections"] = traffic % 13,
        ["todayTrafficIn"] = traffic * 1500,
        ["todayTrafficOut"] = traffic * 900,
        ["proxyConfig"] = new JsonObject
        {
            ["name"] = proxyName,
            ["type"] = "tcp",
            ["localIP"] = "127.0.0.1",
            ["localPort"] = 3306,
            ["remotePort"] = remotePort,
            ["transport"] = new JsonObject { ["bandwidthLimit"] = "", ["bandwidthLimitMode"] = "client" },
            ["loadBalancer"] = new JsonObject { ["group"] = "" },
            ["healthCheck"] = new JsonObject { ["type"] = "", ["intervalSeconds"] = 10 },
        },
    };
}
