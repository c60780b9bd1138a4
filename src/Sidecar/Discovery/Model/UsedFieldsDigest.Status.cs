using System.Text.Json;

namespace Sidecar.Discovery.Model;

/// <summary>The status, walked as <see cref="FrpServerStatusReader"/> and the connection readers read it.</summary>
internal static partial class UsedFieldsDigest
{
    private const byte Status = 15, InternetAddr = 16, Connections = 17, Connection = 18;
    private const byte ProxyName = 19, ProxyType = 20, ProxyStatus = 21;
    private const byte Config = 22, ConfigType = 23, LocalPort = 24, RemotePort = 25, SecretKey = 26;

    private static void WriteStatus(ref Utf8JsonReader reader, DigestBuffer digest)
    {
        if (Opened(ref reader, digest, Status))
        {
            return;
        }
        while (JsonRead.NextProperty(ref reader, out var property))
        {
            if (property.ValueTextEquals("activeConnections"u8)) WriteConnections(ref reader, digest);
            else if (property.ValueTextEquals("serviceStatus"u8)) CheckServiceStatus(ref reader);
            else if (property.ValueTextEquals("conditions"u8)) CheckConditions(ref reader);
            else if (property.ValueTextEquals("ready"u8)) JsonRead.Boolean(ref reader);
            else if (property.ValueTextEquals("observedGeneration"u8)) JsonRead.Int64(ref reader);
            else if (property.ValueTextEquals("internetAddr"u8)) Text(ref reader, digest, InternetAddr);
            else reader.Skip();
        }
        Closed(ref reader, digest);
    }

    /// <summary>
    /// As <see cref="TolerantList"/> reads them, except that an item the decode would turn into a malformed
    /// placeholder (a null, a wrong type anywhere in it) throws: its warning is the decode's to write.
    /// </summary>
    private static void WriteConnections(ref Utf8JsonReader reader, DigestBuffer digest)
    {
        if (reader.TokenType is not (JsonTokenType.Null or JsonTokenType.StartArray))
        {
            throw new JsonException($"expected an array, found {reader.TokenType}");
        }
        digest.Open(Connections, reader.TokenType);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            WriteConnection(ref reader, digest);
        }
        digest.Close();
    }

    private static void WriteConnection(ref Utf8JsonReader reader, DigestBuffer digest)
    {
        JsonRead.Expect(ref reader, JsonTokenType.StartObject); // a null item is a placeholder in the decode
        digest.Open(Connection);
        while (JsonRead.NextProperty(ref reader, out var r))
        {
            if (r.ValueTextEquals("proxyName"u8)) Text(ref reader, digest, ProxyName);
            else if (r.ValueTextEquals("proxyType"u8)) Text(ref reader, digest, ProxyType);
            else if (r.ValueTextEquals("status"u8)) Text(ref reader, digest, ProxyStatus);
            else if (r.ValueTextEquals("proxyConfig"u8)) WriteConfig(ref reader, digest);
            else if (IsCounter(r)) JsonRead.Int64(ref reader);
            else if (IsConnectionText(r)) JsonRead.CheckString(ref reader);
            else reader.Skip();
        }
        Closed(ref reader, digest);
    }

    /// <summary>A proxy's traffic counters: rewritten every second, never compared, but a wrong type spoils the item.</summary>
    private static bool IsCounter(Utf8JsonReader name) =>
        name.ValueTextEquals("todayTrafficIn"u8) || name.ValueTextEquals("todayTrafficOut"u8) || name.ValueTextEquals("bytesIn"u8)
        || name.ValueTextEquals("bytesOut"u8) || name.ValueTextEquals("currentConnections"u8);

    /// <summary>A proxy's other modelled strings (client, addresses, times): not compared, read as the decode reads them.</summary>
    private static bool IsConnectionText(Utf8JsonReader name) =>
        name.ValueTextEquals("clientName"u8) || name.ValueTextEquals("clientVersion"u8) || name.ValueTextEquals("localAddr"u8)
        || name.ValueTextEquals("remoteAddr"u8) || name.ValueTextEquals("startTime"u8) || name.ValueTextEquals("lastCloseTime"u8);

    private static void WriteConfig(ref Utf8JsonReader reader, DigestBuffer digest)
    {
        if (Opened(ref reader, digest, Config))
        {
            return;
        }
        while (JsonRead.NextProperty(ref reader, out var r))
        {
            if (r.ValueTextEquals("type"u8)) Text(ref reader, digest, ConfigType);
            else if (r.ValueTextEquals("localPort"u8)) Port(ref reader, digest, LocalPort);
            else if (r.ValueTextEquals("remotePort"u8)) Port(ref reader, digest, RemotePort);
            else if (r.ValueTextEquals("secretKey"u8)) Text(ref reader, digest, SecretKey);
            else reader.Skip();
        }
        Closed(ref reader, digest);
    }

    /// <summary>Not compared, but a wrong type in one spoils the whole status in the decode.</summary>
    private static void CheckConditions(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }
        JsonRead.Expect(ref reader, JsonTokenType.StartArray);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                continue;
            }
            JsonRead.Expect(ref reader, JsonTokenType.StartObject);
            while (JsonRead.NextProperty(ref reader, out var property))
            {
                if (property.ValueTextEquals("observedGeneration"u8)) JsonRead.Int64(ref reader);
                else if (property.ValueTextEquals("type"u8) || property.ValueTextEquals("status"u8) || property.ValueTextEquals("reason"u8)
                    || property.ValueTextEquals("message"u8) || property.ValueTextEquals("lastTransitionTime"u8)) JsonRead.CheckString(ref reader);
                else reader.Skip();
            }
            JsonRead.Expect(ref reader, JsonTokenType.EndObject);
        }
    }

    /// <summary>The counters the operator rewrites every second: never compared, only checked.</summary>
    private static void CheckServiceStatus(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }
        JsonRead.Expect(ref reader, JsonTokenType.StartObject);
        while (JsonRead.NextProperty(ref reader, out var property))
        {
            if (property.ValueTextEquals("totalBytesIn"u8) || property.ValueTextEquals("totalBytesOut"u8)
                || property.ValueTextEquals("totalClients"u8) || property.ValueTextEquals("totalConnections"u8)
                || property.ValueTextEquals("totalProxies"u8)) JsonRead.Int64(ref reader);
            else if (property.ValueTextEquals("uptime"u8) || property.ValueTextEquals("lastUpdateTime"u8)) JsonRead.CheckString(ref reader);
            else reader.Skip();
        }
        JsonRead.Expect(ref reader, JsonTokenType.EndObject);
    }
}
