using System.Text.Json.Nodes;

namespace Sidecar.Tests.Injection;

/// <summary>
/// A small RFC 6902 applier (add, replace, remove) standing in for the API server's, strict where the RFC is:
/// <c>add</c> fails when the parent is missing, an array index must be in range, "~1"/"~0" unescape (RFC 6901).
/// </summary>
internal static class JsonPatchApplier
{
    public static JsonNode Apply(JsonNode document, JsonArray patch)
    {
        var root = document.DeepClone();
        foreach (var operation in patch)
        {
            var op = (string)operation!["op"]!;
            var tokens = ((string)operation["path"]!).Split('/').Skip(1).Select(t => t.Replace("~1", "/").Replace("~0", "~")).ToArray();
            var parent = root;
            foreach (var token in tokens[..^1])
            {
                parent = parent switch
                {
                    JsonObject o => o[token] ?? throw new InvalidOperationException($"missing parent '{token}' for {operation["path"]}"),
                    JsonArray a => a[int.Parse(token, System.Globalization.CultureInfo.InvariantCulture)]!,
                    _ => throw new InvalidOperationException("path through a value"),
                };
            }
            var last = tokens[^1];
            var value = operation["value"]?.DeepClone();
            switch (parent, op)
            {
                case (JsonObject o, "add"):
                    o[last] = value;
                    break;
                case (JsonObject o, "replace") when o.ContainsKey(last):
                    o[last] = value;
                    break;
                case (JsonObject o, "remove") when o.ContainsKey(last):
                    o.Remove(last);
                    break;
                case (JsonArray a, "add") when last == "-":
                    a.Add(value);
                    break;
                case (JsonArray a, "add"):
                    var index = int.Parse(last, System.Globalization.CultureInfo.InvariantCulture);
                    if (index > a.Count)
                    {
                        throw new InvalidOperationException($"index {index} out of range");
                    }
                    a.Insert(index, value);
                    break;
                default:
                    throw new InvalidOperationException($"cannot {op} {operation["path"]}");
            }
        }
        return root;
    }
}
