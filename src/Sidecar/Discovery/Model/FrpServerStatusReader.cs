using System.Text.Json;

namespace Sidecar.Discovery.Model;

/// <summary>Reads <see cref="FrpServerStatus"/> for <see cref="FrpServerReader"/>, by the same rules.</summary>
internal static class FrpServerStatusReader
{
    public static FrpServerStatus? Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        JsonRead.Expect(ref reader, JsonTokenType.StartObject);
        List<StatusCondition>? conditions = null;
        bool? ready = null;
        long? observedGeneration = null;
        string? internetAddr = null;
        ServiceStatus? serviceStatus = null;
        List<ActiveConnection>? connections = null;
        while (JsonRead.NextProperty(ref reader, out var property))
        {
            try
            {
                if (property.ValueTextEquals("activeConnections"u8)) connections = TolerantList.Read(ref reader, ActiveConnectionConverter.ReadItem);
                else if (property.ValueTextEquals("serviceStatus"u8)) serviceStatus = ReadServiceStatus(ref reader);
                else if (property.ValueTextEquals("conditions"u8)) conditions = ReadConditions(ref reader);
                else if (property.ValueTextEquals("ready"u8)) ready = JsonRead.Boolean(ref reader);
                else if (property.ValueTextEquals("observedGeneration"u8)) observedGeneration = JsonRead.Int64(ref reader);
                else if (property.ValueTextEquals("internetAddr"u8)) internetAddr = JsonRead.String(ref reader);
                else reader.Skip();
            }
            catch (JsonException e)
            {
                throw JsonRead.InField(property, e);
            }
        }
        JsonRead.Expect(ref reader, JsonTokenType.EndObject);
        return new FrpServerStatus
        {
            Conditions = conditions, Ready = ready, ObservedGeneration = observedGeneration, InternetAddr = internetAddr,
            ServiceStatus = serviceStatus, ActiveConnections = connections,
        };
    }

    /// <summary>Unlike <c>activeConnections</c>, one bad condition spoils the status, as it did with the generated reader.</summary>
    private static List<StatusCondition>? ReadConditions(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        JsonRead.Expect(ref reader, JsonTokenType.StartArray);
        var conditions = new List<StatusCondition>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            conditions.Add(ReadCondition(ref reader)!);
        }
        return conditions;
    }

    private static StatusCondition? ReadCondition(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        JsonRead.Expect(ref reader, JsonTokenType.StartObject);
        string? type = null, status = null, reason = null, message = null, lastTransition = null;
        long? observedGeneration = null;
        while (JsonRead.NextProperty(ref reader, out var property))
        {
            try
            {
                if (property.ValueTextEquals("type"u8)) type = JsonRead.String(ref reader);
                else if (property.ValueTextEquals("status"u8)) status = JsonRead.String(ref reader);
                else if (property.ValueTextEquals("reason"u8)) reason = JsonRead.String(ref reader);
                else if (property.ValueTextEquals("message"u8)) message = JsonRead.String(ref reader);
                else if (property.ValueTextEquals("lastTransitionTime"u8)) lastTransition = JsonRead.String(ref reader);
                else if (property.ValueTextEquals("observedGeneration"u8)) observedGeneration = JsonRead.Int64(ref reader);
                else reader.Skip();
            }
            catch (JsonException e)
            {
                throw JsonRead.InField(property, e);
            }
        }
        JsonRead.Expect(ref reader, JsonTokenType.EndObject);
        return new StatusCondition
        {
            Type = type, Status = status, Reason = reason, Message = message, LastTransitionTime = lastTransition,
            ObservedGeneration = observedGeneration,
        };
    }

    private static ServiceStatus? ReadServiceStatus(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        JsonRead.Expect(ref reader, JsonTokenType.StartObject);
        long? bytesIn = null, bytesOut = null, clients = null, connections = null, proxies = null;
        string? uptime = null, lastUpdate = null;
        while (JsonRead.NextProperty(ref reader, out var property))
        {
            try
            {
                if (property.ValueTextEquals("totalBytesIn"u8)) bytesIn = JsonRead.Int64(ref reader);
                else if (property.ValueTextEquals("totalBytesOut"u8)) bytesOut = JsonRead.Int64(ref reader);
                else if (property.ValueTextEquals("totalClients"u8)) clients = JsonRead.Int64(ref reader);
                else if (property.ValueTextEquals("totalConnections"u8)) connections = JsonRead.Int64(ref reader);
                else if (property.ValueTextEquals("totalProxies"u8)) proxies = JsonRead.Int64(ref reader);
                else if (property.ValueTextEquals("uptime"u8)) uptime = JsonRead.String(ref reader);
                else if (property.ValueTextEquals("lastUpdateTime"u8)) lastUpdate = JsonRead.String(ref reader);
                else reader.Skip();
            }
            catch (JsonException e)
            {
                throw JsonRead.InField(property, e);
            }
        }
        JsonRead.Expect(ref reader, JsonTokenType.EndObject);
        return new ServiceStatus
        {
            TotalBytesIn = bytesIn, TotalBytesOut = bytesOut, TotalClients = clients, TotalConnections = connections,
            TotalProxies = proxies, Uptime = uptime, LastUpdateTime = lastUpdate,
        };
    }
}
