using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sidecar.Discovery.Model;

/// <summary>Reads <see cref="ProxyConfig"/> and its small nested objects by hand; see <see cref="ActiveConnectionConverter"/>.</summary>
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
        string? name = null, type = null, localIp = null, secretKey = null;
        int? localPort = null, remotePort = null;
        List<string>? allowUsers = null;
        ProxyTransport? transport = null;
        ProxyLoadBalancer? loadBalancer = null;
        ProxyHealthCheck? healthCheck = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var r = reader;
            reader.Read();
            try
            {
                if (r.ValueTextEquals("name")) name = JsonRead.String(ref reader);
                else if (r.ValueTextEquals("type")) type = JsonRead.String(ref reader);
                else if (r.ValueTextEquals("localIP")) localIp = JsonRead.String(ref reader);
                else if (r.ValueTextEquals("localPort")) localPort = JsonRead.Int32(ref reader);
                else if (r.ValueTextEquals("remotePort")) remotePort = JsonRead.Int32(ref reader);
                else if (r.ValueTextEquals("secretKey")) secretKey = JsonRead.String(ref reader);
                else if (r.ValueTextEquals("allowUsers")) allowUsers = JsonRead.Strings(ref reader);
                else if (r.ValueTextEquals("transport")) transport = ReadPair(ref reader, "bandwidthLimit", "bandwidthLimitMode", (a, b, _) => new ProxyTransport { BandwidthLimit = a, BandwidthLimitMode = b });
                else if (r.ValueTextEquals("loadBalancer")) loadBalancer = ReadPair(ref reader, "group", null, (a, _, _) => new ProxyLoadBalancer { Group = a });
                else if (r.ValueTextEquals("healthCheck")) healthCheck = ReadPair(ref reader, "type", "intervalSeconds", (a, _, n) => new ProxyHealthCheck { Type = a, IntervalSeconds = n });
                else reader.Skip();
            }
            catch (JsonException e)
            {
                // Name the field, so the warning says what is wrong with the item.
                throw new JsonException($"{r.GetString()}: {e.Message}", e);
            }
        }
        JsonRead.Expect(ref reader, JsonTokenType.EndObject);
        return new ProxyConfig
        {
            Name = name, Type = type, LocalIp = localIp, LocalPort = localPort, RemotePort = remotePort, SecretKey = secretKey,
            AllowUsers = allowUsers, Transport = transport, LoadBalancer = loadBalancer, HealthCheck = healthCheck,
        };
    }

    /// <summary>A small object with a string field and a second field read as a string and, if numeric, an integer.</summary>
    private static T? ReadPair<T>(ref Utf8JsonReader reader, string first, string? second, Func<string?, string?, int?, T> create) where T : class
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        JsonRead.Expect(ref reader, JsonTokenType.StartObject);
        string? a = null, b = null;
        int? n = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var r = reader;
            reader.Read();
            if (r.ValueTextEquals(first)) a = JsonRead.String(ref reader);
            else if (second is not null && r.ValueTextEquals(second))
            {
                if (reader.TokenType == JsonTokenType.Number) n = JsonRead.Int32(ref reader);
                b = JsonRead.String(ref reader);
            }
            else reader.Skip();
        }
        JsonRead.Expect(ref reader, JsonTokenType.EndObject);
        return create(a, b, n);
    }
}
