using System.Text.Json;

namespace Sidecar.Discovery.Model;

/// <summary>Reads one item at the reader's position; the reader ends on the item's last token.</summary>
internal delegate T? ItemReader<T>(ref Utf8JsonReader reader);

/// <summary>
/// Reads a JSON array item by item; an item that does not fit the model (wrong types, absurd numbers) becomes
/// a malformed placeholder naming why, so the other items still count.
/// </summary>
internal static class TolerantList
{
    public static List<T>? Read<T>(ref Utf8JsonReader reader, ItemReader<T> readItem) where T : class, IMalformable<T>
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"expected an array, found {reader.TokenType}");
        }
        var items = new List<T>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            // The whole value is in the buffer, so a copy can rewind and skip it.
            var start = reader;
            try
            {
                items.Add(readItem(ref reader) ?? T.Malformed(null, "null item"));
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                reader = start;
                var name = ItemName.Find(reader);
                reader.Skip();
                items.Add(T.Malformed(name, e.Message));
            }
        }
        return items;
    }
}
