using System.Text.Json.Nodes;

namespace Sidecar.Tests.Discovery.StandIn;

/// <summary>
/// The stand-in's error bodies: Kubernetes <c>Status</c> objects in the shape of the recordings in
/// Data/kube-apiserver-1.28 (kind, apiVersion, empty metadata, status Failure, message, reason, details, code).
/// </summary>
internal static class StandInStatus
{
    public static string Body(int code, string reason, string message, JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (details is not null)
        {
            status["details"] = details;
        }
        status["code"] = code;
        return status.ToJsonString();
    }

    /// <summary>401 for a wrong or missing credential, exactly as list-bad-token.json.</summary>
    public static string Unauthorized() => Body(401, "Unauthorized", "Unauthorized");

    /// <summary>403 as list-forbidden-secrets.json: RBAC allows this user only frpservers.</summary>
    public static string Forbidden(string user, string verb, string resource, string group) =>
        Body(403, "Forbidden", $"{resource} is forbidden: User \"{user}\" cannot {verb} resource \"{resource}\" in API group \"{group}\" at the cluster scope",
            new JsonObject { ["kind"] = resource });

    /// <summary>The watch-cache answer to a watch from a compacted version, as watch-too-old.jsonl (an ERROR event in a 200 stream).</summary>
    public static string ExpiredEventLine(string requested, long oldest) => new JsonObject
    {
        ["type"] = "ERROR",
        ["object"] = JsonNode.Parse(Body(410, "Expired", $"too old resource version: {requested} ({oldest})")),
    }.ToJsonString();
}
