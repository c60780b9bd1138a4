using System.Text.Json;

namespace Sidecar.Discovery.Model;

/// <summary>
/// The name of an item that could not be decoded, so its warning can name it: a proxy's <c>proxyName</c>,
/// a resource's <c>metadata.name</c>, or a top-level <c>name</c>, whichever comes first. The one rule for
/// every reader that turns a bad item into a malformed placeholder (lists, watch lines, files).
/// </summary>
internal static class ItemName
{
    /// <param name="reader">A copy positioned at the item's first token; anything but an object has no name.</param>
    public static string? Find(Utf8JsonReader reader)
    {
        try
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isName = reader.ValueTextEquals("proxyName"u8) || reader.ValueTextEquals("name"u8);
                var isMetadata = reader.ValueTextEquals("metadata"u8);
                reader.Read();
                if (isName && reader.TokenType == JsonTokenType.String)
                {
                    return reader.GetString();
                }
                if (isMetadata && reader.TokenType == JsonTokenType.StartObject && NameIn(reader) is { } name)
                {
                    return name;
                }
                reader.Skip();
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // A value that ends early or does not fit: the item stays unnamed.
        }
        return null;
    }

    /// <summary>The string <c>name</c> property of the object the reader is at.</summary>
    private static string? NameIn(Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isName = reader.ValueTextEquals("name"u8);
            reader.Read();
            if (isName)
            {
                return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            reader.Skip();
        }
        return null;
    }
}
