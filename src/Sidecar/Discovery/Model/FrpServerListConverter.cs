using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sidecar.Discovery.Model;

/// <summary>Reads a list answer by hand: its <c>metadata</c> and each item with <see cref="FrpServerReader"/>.</summary>
internal sealed class FrpServerListConverter : JsonConverter<FrpServerList>
{
    public override FrpServerList? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadList(ref reader);

    public override void Write(Utf8JsonWriter writer, FrpServerList value, JsonSerializerOptions options) =>
        throw new NotSupportedException("read-only model");

    public static FrpServerList? ReadList(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        JsonRead.Expect(ref reader, JsonTokenType.StartObject);
        string? apiVersion = null, kind = null;
        ListMetadata? metadata = null;
        List<FrpServer>? items = null;
        while (JsonRead.NextProperty(ref reader, out var property))
        {
            try
            {
                if (property.ValueTextEquals("items"u8)) items = TolerantList.Read(ref reader, FrpServerReader.Read);
                else if (property.ValueTextEquals("metadata"u8)) metadata = ReadMetadata(ref reader);
                else if (property.ValueTextEquals("apiVersion"u8)) apiVersion = JsonRead.String(ref reader);
                else if (property.ValueTextEquals("kind"u8)) kind = JsonRead.String(ref reader);
                else reader.Skip();
            }
            catch (JsonException e)
            {
                throw JsonRead.InField(property, e);
            }
        }
        JsonRead.Expect(ref reader, JsonTokenType.EndObject);
        return new FrpServerList { ApiVersion = apiVersion, Kind = kind, Metadata = metadata, Items = items };
    }

    private static ListMetadata? ReadMetadata(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        JsonRead.Expect(ref reader, JsonTokenType.StartObject);
        string? resourceVersion = null, next = null;
        while (JsonRead.NextProperty(ref reader, out var property))
        {
            try
            {
                if (property.ValueTextEquals("resourceVersion"u8)) resourceVersion = JsonRead.String(ref reader);
                else if (property.ValueTextEquals("continue"u8)) next = JsonRead.String(ref reader);
                else reader.Skip();
            }
            catch (JsonException e)
            {
                throw JsonRead.InField(property, e);
            }
        }
        JsonRead.Expect(ref reader, JsonTokenType.EndObject);
        return new ListMetadata { ResourceVersion = resourceVersion, Continue = next };
    }
}
