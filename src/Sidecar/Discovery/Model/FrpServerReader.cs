using System.Text.Json;

namespace Sidecar.Discovery.Model;

/// <summary>
/// Reads an <see cref="FrpServer"/> by hand, as <see cref="ActiveConnectionConverter"/> reads its items. The
/// serializer's generated metadata for the same model cost a third of the CPU from exec to the first DNS answer
/// (on first use it configures every property of every nested type) and kept that metadata for the process's
/// life. The rules are the ones the generated context had: camelCase names matched exactly, unknown fields
/// skipped unread, strings also from numbers and booleans, numbers also from strings, and a value of the wrong
/// type throws <see cref="JsonException"/> naming the field's path.
/// </summary>
internal static class FrpServerReader
{
    /// <summary>The resource the reader is at (null for a JSON null); the reader ends on its closing brace.</summary>
    public static FrpServer? Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        JsonRead.Expect(ref reader, JsonTokenType.StartObject);
        string? apiVersion = null, kind = null;
        ResourceMetadata? metadata = null;
        FrpServerSpec? spec = null;
        FrpServerStatus? status = null;
        while (JsonRead.NextProperty(ref reader, out var name))
        {
            try
            {
                if (name.ValueTextEquals("status"u8)) status = FrpServerStatusReader.Read(ref reader);
                else if (name.ValueTextEquals("metadata"u8)) metadata = ReadMetadata(ref reader);
                else if (name.ValueTextEquals("spec"u8)) spec = ReadSpec(ref reader);
                else if (name.ValueTextEquals("apiVersion"u8)) apiVersion = JsonRead.String(ref reader);
                else if (name.ValueTextEquals("kind"u8)) kind = JsonRead.String(ref reader);
                else reader.Skip();
            }
            catch (JsonException e)
            {
                throw JsonRead.InField(name, e);
            }
        }
        JsonRead.Expect(ref reader, JsonTokenType.EndObject);
        return new FrpServer { ApiVersion = apiVersion, Kind = kind, Metadata = metadata, Spec = spec, Status = status };
    }

    private static ResourceMetadata? ReadMetadata(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        JsonRead.Expect(ref reader, JsonTokenType.StartObject);
        string? name = null, uid = null, resourceVersion = null, created = null, deleted = null;
        long? generation = null;
        while (JsonRead.NextProperty(ref reader, out var property))
        {
            try
            {
                if (property.ValueTextEquals("name"u8)) name = JsonRead.String(ref reader);
                else if (property.ValueTextEquals("resourceVersion"u8)) resourceVersion = JsonRead.String(ref reader);
                else if (property.ValueTextEquals("uid"u8)) uid = JsonRead.String(ref reader);
                else if (property.ValueTextEquals("generation"u8)) generation = JsonRead.Int64(ref reader);
                else if (property.ValueTextEquals("creationTimestamp"u8)) created = JsonRead.String(ref reader);
                else if (property.ValueTextEquals("deletionTimestamp"u8)) deleted = JsonRead.String(ref reader);
                else reader.Skip(); // labels, annotations, managedFields: never read
            }
            catch (JsonException e)
            {
                throw JsonRead.InField(property, e);
            }
        }
        JsonRead.Expect(ref reader, JsonTokenType.EndObject);
        return new ResourceMetadata
        {
            Name = name, Uid = uid, ResourceVersion = resourceVersion, CreationTimestamp = created, DeletionTimestamp = deleted,
            Generation = generation,
        };
    }

    private static FrpServerSpec? ReadSpec(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        JsonRead.Expect(ref reader, JsonTokenType.StartObject);
        string? bindAddr = null, proxyBindAddr = null;
        int? bindPort = null, kcpBindPort = null, quicBindPort = null;
        FrpAuth? auth = null;
        while (JsonRead.NextProperty(ref reader, out var property))
        {
            try
            {
                if (property.ValueTextEquals("bindAddr"u8)) bindAddr = JsonRead.String(ref reader);
                else if (property.ValueTextEquals("bindPort"u8)) bindPort = JsonRead.Int32(ref reader);
                else if (property.ValueTextEquals("kcpBindPort"u8)) kcpBindPort = JsonRead.Int32(ref reader);
                else if (property.ValueTextEquals("quicBindPort"u8)) quicBindPort = JsonRead.Int32(ref reader);
                else if (property.ValueTextEquals("proxyBindAddr"u8)) proxyBindAddr = JsonRead.String(ref reader);
                else if (property.ValueTextEquals("auth"u8)) auth = ReadAuth(ref reader);
                else reader.Skip();
            }
            catch (JsonException e)
            {
                throw JsonRead.InField(property, e);
            }
        }
        JsonRead.Expect(ref reader, JsonTokenType.EndObject);
        return new FrpServerSpec
        {
            BindAddr = bindAddr, BindPort = bindPort, KcpBindPort = kcpBindPort, QuicBindPort = quicBindPort,
            ProxyBindAddr = proxyBindAddr, Auth = auth,
        };
    }

    private static FrpAuth? ReadAuth(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        JsonRead.Expect(ref reader, JsonTokenType.StartObject);
        string? method = null, token = null;
        while (JsonRead.NextProperty(ref reader, out var property))
        {
            try
            {
                if (property.ValueTextEquals("method"u8)) method = JsonRead.String(ref reader);
                else if (property.ValueTextEquals("token"u8)) token = JsonRead.String(ref reader);
                else reader.Skip();
            }
            catch (JsonException e)
            {
                throw JsonRead.InField(property, e);
            }
        }
        JsonRead.Expect(ref reader, JsonTokenType.EndObject);
        return new FrpAuth { Method = method, Token = token };
    }
}
