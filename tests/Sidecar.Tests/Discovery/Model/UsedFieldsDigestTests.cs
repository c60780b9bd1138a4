using System.Collections;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Sidecar.Discovery;
using Sidecar.Discovery.Files;
using Sidecar.Discovery.Kubernetes;
using Sidecar.Discovery.Model;

namespace Sidecar.Tests.Discovery.Model;

/// <summary>
/// The digest against the decode it stands in for. Every field of the recorded FRPServer (Data/frpserver-sample.yaml,
/// from a real cluster, plus the model fields that recording lacks) is changed, retyped and removed in turn; each
/// variant is offered to <see cref="ChurnFilter"/> with the sample cached, and must be skipped exactly when decoding it
/// would have changed nothing (no problem recorded, <see cref="UsedFields.Equal"/>, same resume version). A field a
/// reader starts to read, or UsedFields starts to compare, without the digest following fails here; so does a model
/// field the sample has no value for (<see cref="Sample_EveryModelledField_HasAValue"/>).
/// </summary>
public sealed class UsedFieldsDigestTests
{
    private static readonly JsonObject Base = BuildSample();

    /// <summary>The recording, plus a deleting object, QUIC, token auth, readiness, and a second proxy (stcp) with a secret and a close time.</summary>
    private static JsonObject BuildSample()
    {
        var json = YamlToJson.Convert(File.ReadAllBytes(ResourceDocumentsTests.SamplePath))[0];
        var sample = JsonNode.Parse(json.Span)!.AsObject();
        sample["metadata"]!["deletionTimestamp"] = "2025-05-05T00:00:00Z";
        sample["spec"]!["quicBindPort"] = 17002;
        sample["spec"]!["auth"] = new JsonObject { ["method"] = "token", ["token"] = "s3cret" };
        sample["status"]!["ready"] = true;
        sample["status"]!["observedGeneration"] = 1;
        sample["status"]!["internetAddr"] = "203.0.113.7";
        sample["status"]!["serviceStatus"]!["lastUpdateTime"] = "2025-05-04T15:11:47Z";
        var connections = sample["status"]!["activeConnections"]!.AsArray();
        var second = connections[0]!.DeepClone().AsObject();
        (second["proxyName"], second["proxyType"], second["lastCloseTime"]) = ("db.stcp", "stcp", "2025-05-04T15:00:00Z");
        var config = second["proxyConfig"]!.AsObject();
        (config["name"], config["type"], config["localPort"], config["secretKey"]) = ("db.stcp", "stcp", 3306, "k3y");
        config.Remove("remotePort");
        connections.Add(second);
        return sample;
    }

    private static string Line(JsonNode server, string type = "MODIFIED") => new JsonObject { ["type"] = type, ["object"] = server.DeepClone() }.ToJsonString();

    [Fact]
    public void Sample_EveryModelledField_HasAValue()
    {
        var server = WatchLine.Parse(Line(Base)).Server!;
        Assert.Null(server.ParseError);
        var (all, present) = (new HashSet<string>(), new HashSet<string>());
        Collect(server, "object", all, present);
        Assert.Empty(all.Except(present)); // in at least one of the proxies, for their fields
    }

    private static void Collect(object value, string path, HashSet<string> all, HashSet<string> present)
    {
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<JsonIgnoreAttribute>() is not null)
            {
                continue; // ParseError, LastGood, Name: not read from JSON
            }
            var child = property.GetValue(value);
            var at = $"{path}.{property.Name}";
            all.Add(at);
            if (child is null || child is IList { Count: 0 })
            {
                continue;
            }
            present.Add(at);
            if (child is IList list)
            {
                foreach (var item in list)
                {
                    Collect(item!, at + "[]", all, present);
                }
            }
            else if (!child.GetType().IsValueType && child is not string)
            {
                Collect(child, at, all, present);
            }
        }
    }

    public static TheoryData<string, string> Variants()
    {
        var data = new TheoryData<string, string>();
        foreach (var (path, node, inArray) in Nodes(Base, ""))
        {
            foreach (var variant in VariantsOf(node, inArray))
            {
                data.Add(path, variant);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Absorb_EachFieldChangedRetypedOrRemoved_SkippedExactlyWhenTheDecodeChangesNothing(string path, string variant)
    {
        var changed = Base.DeepClone().AsObject();
        Apply(changed, path, variant);
        var before = WatchLine.Parse(Line(Base)).Server!;
        var after = WatchLine.Parse(Line(changed)).Server;
        var decodeChangesNothing = after is { ParseError: null } && UsedFields.Equal(before, after);

        var cache = new ResourceCache();
        var filter = new ChurnFilter(cache, 0);
        var position = new WatchPosition("1");
        Assert.False(filter.Absorb(System.Text.Encoding.UTF8.GetBytes(Line(Base)), position));
        cache.Upsert(before, 0, filter.Digest);
        var skipped = filter.Absorb(System.Text.Encoding.UTF8.GetBytes(Line(changed)), position);

        Assert.True(decodeChangesNothing == skipped, $"{path} {variant}: decode changes nothing = {decodeChangesNothing}, skipped = {skipped}");
        if (skipped)
        {
            // As Apply: the decoded version when it has one, else the resume point stays.
            Assert.Equal(after!.Metadata?.ResourceVersion is { Length: > 0 } rv ? rv : "1", position.ResourceVersion);
        }
    }

    [Fact]
    public void Variants_ValueChanged_SkippedForChurnDecodedForEveryUsedField()
    {
        // The same table, read the other way: which value changes reach the cache. This is the list UsedFields compares.
        var decoded = Variants().Select(row => ((string)row[0], (string)row[1])).Where(v => v.Item2 == "changed")
            .Where(v => !Skipped(v.Item1, v.Item2)).Select(v => v.Item1).ToList();
        Assert.Equal(
        [
            "/metadata/creationTimestamp", "/metadata/deletionTimestamp", "/metadata/name", "/metadata/uid",
            "/spec/auth/method", "/spec/auth/token", "/spec/bindAddr", "/spec/bindPort", "/spec/kcpBindPort", "/spec/proxyBindAddr", "/spec/quicBindPort",
            "/status/activeConnections/0/proxyConfig/remotePort", "/status/activeConnections/0/proxyConfig/type",
            "/status/activeConnections/0/proxyName", "/status/activeConnections/0/proxyType", "/status/activeConnections/0/status",
            "/status/activeConnections/1/proxyConfig/localPort", "/status/activeConnections/1/proxyConfig/secretKey", "/status/activeConnections/1/proxyConfig/type",
            "/status/activeConnections/1/proxyName", "/status/activeConnections/1/proxyType", "/status/activeConnections/1/status",
            "/status/internetAddr",
        ], decoded.Order(StringComparer.Ordinal));
    }

    private static bool Skipped(string path, string variant)
    {
        var changed = Base.DeepClone().AsObject();
        Apply(changed, path, variant);
        var cache = new ResourceCache();
        var filter = new ChurnFilter(cache, 0);
        filter.Absorb(System.Text.Encoding.UTF8.GetBytes(Line(Base)), new WatchPosition("1"));
        cache.Upsert(WatchLine.Parse(Line(Base)).Server!, 0, filter.Digest);
        return filter.Absorb(System.Text.Encoding.UTF8.GetBytes(Line(changed)), new WatchPosition("1"));
    }

    /// <summary>Every node under <paramref name="node"/>, by JSON Pointer (RFC 6901: annotation keys hold '/' and '.').</summary>
    private static IEnumerable<(string Path, JsonNode Node, bool InArray)> Nodes(JsonNode node, string path)
    {
        var children = node switch
        {
            JsonObject obj => obj.Select(p => ($"{path}/{p.Key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}", p.Value!, false)),
            JsonArray array => array.Select((item, i) => ($"{path}/{i}", item!, true)),
            _ => [],
        };
        foreach (var (at, child, inArray) in children.ToList())
        {
            yield return (at, child, inArray);
            foreach (var inner in Nodes(child, at))
            {
                yield return inner;
            }
        }
    }

    private static IEnumerable<string> VariantsOf(JsonNode node, bool inArray)
    {
        yield return "removed";
        if (!inArray)
        {
            yield return "null";
        }
        switch (node.GetValueKind())
        {
            case System.Text.Json.JsonValueKind.String:
                yield return "changed";
                yield return "an object";
                break;
            case System.Text.Json.JsonValueKind.Number:
                yield return "changed";
                yield return "a word";
                yield return "too big";
                break;
            case System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False:
                yield return "changed";
                yield return "a word";
                break;
            case System.Text.Json.JsonValueKind.Object:
                yield return "a number";
                yield return "an array";
                break;
            case System.Text.Json.JsonValueKind.Array:
                yield return "an object";
                yield return "emptied";
                break;
        }
        if (inArray)
        {
            yield return "null";
        }
    }

    private static void Apply(JsonObject root, string path, string variant)
    {
        var (parent, key, index) = Locate(root, path);
        var current = index is { } i ? parent[i] : parent[key!];
        JsonNode? replacement = variant switch
        {
            "null" => null,
            "changed" => current!.GetValueKind() switch
            {
                System.Text.Json.JsonValueKind.String => current.GetValue<string>() + "x",
                System.Text.Json.JsonValueKind.Number => long.Parse(current.ToJsonString()) + 1,
                _ => !current.GetValue<bool>(),
            },
            "an object" => new JsonObject { ["x"] = 1 },
            "a word" => "abc",
            "too big" => JsonValue.Create(1e30),
            "a number" => 1,
            "an array" => new JsonArray(),
            "emptied" => new JsonArray(),
            _ => current,
        };
        if (variant == "removed")
        {
            if (index is { } at) parent.AsArray().RemoveAt(at); else parent.AsObject().Remove(key!);
        }
        else if (index is { } at)
        {
            parent[at] = replacement;
        }
        else
        {
            parent[key!] = replacement;
        }
    }

    private static (JsonNode Parent, string? Key, int? Index) Locate(JsonNode root, string path)
    {
        var steps = path.Split('/')[1..].Select(step => step.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
        var node = root;
        foreach (var step in steps[..^1])
        {
            node = node is JsonArray array ? array[int.Parse(step)]! : node[step]!;
        }
        return node is JsonArray ? (node, null, int.Parse(steps[^1])) : (node, steps[^1], null);
    }
}
