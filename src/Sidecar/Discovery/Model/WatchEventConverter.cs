using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sidecar.Discovery.Model;

/// <summary>Reads a watch line's <c>type</c> and its <c>object</c> as an FRPServer (<see cref="FrpServerReader"/>).</summary>
internal sealed class WatchEventConverter : JsonConverter<WatchEvent>
{
    public override WatchEvent? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadEvent(ref reader);

    public override void Write(Utf8JsonWriter writer, WatchEvent value, JsonSerializerOptions options) =>
        throw new NotSupportedException("read-only model");

    public static WatchEvent? ReadEvent(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        JsonRead.Expect(ref reader, JsonTokenType.StartObject);
        string? type = null;
        FrpServer? server = null;
        while (JsonRead.NextProperty(ref reader, out var property))
        {
            try
            {
                if (property.ValueTextEquals("object"u8)) server = FrpServerReader.Read(ref reader);
                else if (property.ValueTextEquals("type"u8)) type = JsonRead.String(ref reader);
                else reader.Skip();
            }
            catch (JsonException e)
            {
                throw JsonRead.InField(property, e);
            }
        }
        JsonRead.Expect(ref reader, JsonTokenType.EndObject);
        return new WatchEvent { Type = type, Object = server };
    }
}
