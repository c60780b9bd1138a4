using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Sidecar.Discovery.Model;

/// <summary>
/// Reads a JSON array item by item; an item that does not fit the model (wrong types, absurd numbers) becomes
/// a malformed placeholder naming why, so the other items still count.
/// </summary>
internal sealed class TolerantListConverter<T> : JsonConverter<List<T>> where T : class, IMalformable<T>
{
    public override List<T>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"expected an array, found {reader.TokenType}");
        }
        var typeInfo = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        // Our hand-written converters can be called directly, skipping the serializer's per-call set-up.
        var direct = typeInfo.Converter is JsonConverter<T> c && c.GetType().Assembly == typeof(T).Assembly ? c : null;
        var items = new List<T>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            // The whole value is buffered before a custom converter runs, so a copy can rewind and skip it.
            var start = reader;
            try
            {
                var item = direct is not null ? direct.Read(ref reader, typeof(T), options) : JsonSerializer.Deserialize(ref reader, typeInfo);
                items.Add(item ?? T.Malformed(null, "null item"));
            }
            catch (JsonException e)
            {
                reader = start;
                var name = ItemName.Find(reader);
                reader.Skip();
                items.Add(T.Malformed(name, e.Message));
            }
        }
        return items;
    }

    public override void Write(Utf8JsonWriter writer, List<T> value, JsonSerializerOptions options) =>
        throw new NotSupportedException("read-only model");
}
