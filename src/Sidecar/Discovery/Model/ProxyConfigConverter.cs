using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sidecar.Discovery.Model;

/// <summary>
/// Reads <see cref="ProxyConfig"/> by hand (see <see cref="ActiveConnectionConverter"/>): only the fields the
/// endpoint rules use; every other field is skipped unread, so its content can neither cost nor spoil an item.
/// </summary>
internal sealed class ProxyConfigConverter : JsonConverter<ProxyConfig>
{
    public override ProxyConfig? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadConfig(ref reader);

    public override void Write(Utf8JsonWriter writer, ProxyConfig value, JsonSerializerOptions options) =>
        throw new NotSupportedException("read-only model");

    public static ProxyConfig? ReadConfig(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        JsonRead.Expect(ref reader, JsonTokenType.StartObject);
        string? type = null, secretKey = null;
        int? localPort = null, remotePort = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var r = reader;
            reader.Read();
            try
            {
                if (r.ValueTextEquals("type")) type = JsonRead.String(ref reader);
                else if (r.ValueTextEquals("localPort")) localPort = JsonRead.Int32(ref reader);
                else if (r.ValueTextEquals("remotePort")) remotePort = JsonRead.Int32(ref reader);
                else if (r.ValueTextEquals("secretKey")) secretKey = JsonRead.String(ref reader);
                else reader.Skip();
            }
            catch (JsonException e)
            {
                // Name the field, so the warning says what is wrong with the item.
                throw new JsonException($"{r.GetString()}: {e.Message}", e);
            }
        }
        JsonRead.Expect(ref reader, JsonTokenType.EndObject);
        return new ProxyConfig { Type = type, LocalPort = localPort, RemotePort = remotePort, SecretKey = secretKey };
    }
}
