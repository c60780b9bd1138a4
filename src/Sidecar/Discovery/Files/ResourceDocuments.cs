using System.Text.Json;
using System.Text.Json.Nodes;
using Sidecar.Discovery.Model;

namespace Sidecar.Discovery.Files;

/// <summary>
/// Reads FRPServer resources from text: JSON or YAML, one resource, a List, or several YAML documents.
/// An unreadable resource becomes a malformed placeholder; only an unreadable file is an error.
/// </summary>
internal static class ResourceDocuments
{
    /// <exception cref="FormatException">The text is neither JSON nor YAML, or holds something that is no resource.</exception>
    public static IReadOnlyList<FrpServer> Parse(string text)
    {
        var trimmed = text.AsSpan().TrimStart();
        IReadOnlyList<JsonNode?> documents;
        if (trimmed.Length > 0 && trimmed[0] is '{' or '[')
        {
            try
            {
                documents = [JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })];
            }
            catch (JsonException e)
            {
                throw new FormatException($"JSON error: {e.Message}", e);
            }
        }
        else
        {
            documents = YamlToJson.Convert(text);
        }

        var servers = new List<FrpServer>();
        foreach (var document in documents)
        {
            switch (document)
            {
                case null:
                    break; // an empty document, e.g. a trailing "---"
                case JsonArray array:
                    AddItems(array, servers);
                    break;
                case JsonObject obj when obj["items"] is JsonArray items:
                    AddItems(items, servers);
                    break;
                case JsonObject obj:
                    servers.Add(Decode(obj));
                    break;
                default:
                    throw new FormatException("a document is neither a resource nor a list of resources");
            }
        }
        return servers;
    }

    private static void AddItems(JsonArray items, List<FrpServer> servers)
    {
        foreach (var item in items)
        {
            servers.Add(item is JsonObject obj ? Decode(obj) : FrpServer.Malformed(null, "a list item is not an object"));
        }
    }

    private static FrpServer Decode(JsonObject obj)
    {
        try
        {
            return obj.Deserialize(FrpJsonContext.Default.FrpServer) ?? FrpServer.Malformed(null, "null resource");
        }
        catch (JsonException e)
        {
            var name = obj["metadata"] is JsonObject meta && meta["name"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            return FrpServer.Malformed(name, e.Message);
        }
    }
}
