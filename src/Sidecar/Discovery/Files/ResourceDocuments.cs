using System.Text.Json;
using Sidecar.Discovery.Model;

namespace Sidecar.Discovery.Files;

/// <summary>
/// Reads FRPServer resources from a file's bytes: JSON or YAML, one resource, a List, or several YAML documents.
/// An unreadable resource becomes a malformed placeholder; only an unreadable file is an error. No document
/// tree is built: the JSON is walked once for its shape and depth, then each resource is decoded on its own.
/// </summary>
internal static class ResourceDocuments
{
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        // Our own check (FileLimits.MaxDepth) comes first and says what is wrong.
        MaxDepth = FileLimits.MaxDepth + 1,
    };

    /// <exception cref="FormatException">Neither JSON nor YAML, nested too deeply, too large once expanded, or holding something that is no resource.</exception>
    public static IReadOnlyList<FrpServer> Parse(ReadOnlyMemory<byte> utf8)
    {
        var content = utf8.Span.StartsWith("\uFEFF"u8) ? utf8[3..] : utf8;
        var first = content.Span.TrimStart(" \t\r\n"u8);
        var documents = first.Length > 0 && first[0] is (byte)'{' or (byte)'['
            ? [content]
            : YamlToJson.Convert(content);
        var servers = new List<FrpServer>();
        foreach (var document in documents)
        {
            try
            {
                ReadDocument(document, servers);
            }
            catch (JsonException e)
            {
                throw new FormatException($"JSON error: {e.Message}", e);
            }
        }
        return servers;
    }

    private static void ReadDocument(ReadOnlyMemory<byte> json, List<FrpServer> servers)
    {
        var reader = new Utf8JsonReader(json.Span, ReaderOptions);
        if (!reader.Read() || reader.TokenType == JsonTokenType.Null)
        {
            return; // an empty document, e.g. a trailing "---"
        }
        switch (reader.TokenType)
        {
            case JsonTokenType.StartArray:
                AddItems(json, ref reader, servers);
                break;
            case JsonTokenType.StartObject:
                var whole = reader.TokenStartIndex;
                var items = FindItems(json, ref reader);
                if (items is { } list)
                {
                    var itemsReader = new Utf8JsonReader(list.Span, ReaderOptions);
                    itemsReader.Read();
                    AddItems(list, ref itemsReader, servers);
                }
                else
                {
                    servers.Add(Decode(json[(int)whole..(int)reader.BytesConsumed]));
                }
                break;
            default:
                throw new FormatException("a document is neither a resource nor a list of resources");
        }
        if (reader.Read())
        {
            throw new FormatException("a JSON document holds more than one value");
        }
    }

    /// <summary>At a top-level object: its <c>items</c> array (a List), or null for a single resource.</summary>
    private static ReadOnlyMemory<byte>? FindItems(ReadOnlyMemory<byte> json, ref Utf8JsonReader reader)
    {
        ReadOnlyMemory<byte>? items = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isItems = reader.ValueTextEquals("items"u8);
            reader.Read();
            var start = reader.TokenStartIndex;
            SkipChecked(ref reader);
            if (isItems && json.Span[(int)start] == (byte)'[')
            {
                items = json[(int)start..(int)reader.BytesConsumed];
            }
        }
        return items;
    }

    /// <summary>At a StartArray: every element, an object decoded as a resource, anything else a malformed item.</summary>
    private static void AddItems(ReadOnlyMemory<byte> json, ref Utf8JsonReader reader, List<FrpServer> servers)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var start = reader.TokenStartIndex;
            var isObject = reader.TokenType == JsonTokenType.StartObject;
            SkipChecked(ref reader);
            servers.Add(isObject ? Decode(json[(int)start..(int)reader.BytesConsumed]) : FrpServer.Malformed(null, "a list item is not an object"));
        }
    }

    /// <summary>Skips a value like <see cref="Utf8JsonReader.Skip"/>, refusing nesting beyond <see cref="FileLimits.MaxDepth"/>.</summary>
    private static void SkipChecked(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return;
        }
        var depth = reader.CurrentDepth;
        do
        {
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth + 1 > FileLimits.MaxDepth)
            {
                throw new FormatException($"objects and arrays are nested deeper than {FileLimits.MaxDepth} levels");
            }
            if (!reader.Read())
            {
                throw new FormatException("the JSON ends inside an object or array");
            }
        }
        while (reader.CurrentDepth > depth || reader.TokenType is not (JsonTokenType.EndObject or JsonTokenType.EndArray));
    }

    private static FrpServer Decode(ReadOnlyMemory<byte> json)
    {
        try
        {
            return JsonRead.Whole(json.Span, FrpServerReader.Read, ReaderOptions) ?? FrpServer.Malformed(null, "null resource");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or OverflowException)
        {
            var start = new Utf8JsonReader(json.Span, ReaderOptions);
            start.Read();
            return FrpServer.Malformed(ItemName.Find(start), e.Message);
        }
    }
}
