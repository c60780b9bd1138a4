using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sidecar.Discovery.Model;

/// <summary>
/// Reads an <see cref="ActiveConnection"/> directly from the reader. frps rewrites the whole list every
/// second, so this is the hot path: about twice as fast as the generated metadata path, skipping what we
/// do not model without materialising it.
/// </summary>
internal sealed class ActiveConnectionConverter : JsonConverter<ActiveConnection>
{
    public override ActiveConnection? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadItem(ref reader);

    public static ActiveConnection? ReadItem(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        JsonRead.Expect(ref reader, JsonTokenType.StartObject);
        string? proxyName = null, proxyType = null, status = null, clientName = null, clientVersion = null;
        string? localAddr = null, remoteAddr = null, startTime = null, lastCloseTime = null;
        long? bytesIn = null, bytesOut = null, current = null, todayIn = null, todayOut = null;
        ProxyConfig? config = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var r = reader; // the property name; ValueTextEquals compares without allocating
            reader.Read();
            try
            {
                if (r.ValueTextEquals("proxyName")) proxyName = JsonRead.String(ref reader);
                else if (r.ValueTextEquals("proxyType")) proxyType = JsonRead.String(ref reader);
                else if (r.ValueTextEquals("status")) status = JsonRead.String(ref reader);
                else if (r.ValueTextEquals("proxyConfig")) config = ProxyConfigConverter.ReadConfig(ref reader);
                else if (r.ValueTextEquals("todayTrafficIn")) todayIn = JsonRead.Int64(ref reader);
                else if (r.ValueTextEquals("todayTrafficOut")) todayOut = JsonRead.Int64(ref reader);
                else if (r.ValueTextEquals("bytesIn")) bytesIn = JsonRead.Int64(ref reader);
                else if (r.ValueTextEquals("bytesOut")) bytesOut = JsonRead.Int64(ref reader);
                else if (r.ValueTextEquals("currentConnections")) current = JsonRead.Int64(ref reader);
                else if (r.ValueTextEquals("clientName")) clientName = JsonRead.String(ref reader);
                else if (r.ValueTextEquals("clientVersion")) clientVersion = JsonRead.String(ref reader);
                else if (r.ValueTextEquals("localAddr")) localAddr = JsonRead.String(ref reader);
                else if (r.ValueTextEquals("remoteAddr")) remoteAddr = JsonRead.String(ref reader);
                else if (r.ValueTextEquals("startTime")) startTime = JsonRead.String(ref reader);
                else if (r.ValueTextEquals("lastCloseTime")) lastCloseTime = JsonRead.String(ref reader);
                else reader.Skip(); // unknown fields are ignored
            }
            catch (JsonException e)
            {
                // Name the field, so the warning says what is wrong with the item.
                throw new JsonException($"{r.GetString()}: {e.Message}", e);
            }
        }
        JsonRead.Expect(ref reader, JsonTokenType.EndObject);
        return new ActiveConnection
        {
            ProxyName = proxyName, ProxyType = proxyType, Status = status, ProxyConfig = config,
            ClientName = clientName, ClientVersion = clientVersion, LocalAddr = localAddr, RemoteAddr = remoteAddr,
            StartTime = startTime, LastCloseTime = lastCloseTime, BytesIn = bytesIn, BytesOut = bytesOut,
            CurrentConnections = current, TodayTrafficIn = todayIn, TodayTrafficOut = todayOut,
        };
    }

    public override void Write(Utf8JsonWriter writer, ActiveConnection value, JsonSerializerOptions options) =>
        throw new NotSupportedException("read-only model");
}
