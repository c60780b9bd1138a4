using System.Text.Json;

namespace Sidecar.Discovery.Model;

/// <summary>
/// The fields of an FRPServer that <see cref="UsedFields"/> compares, read from the raw bytes in one pass without
/// decoding: frps's status rewrite every second (~40 KB of objects decoded per event at 50 connections, only to be
/// found equal) is recognised by comparing these bytes with those of the version last decoded. Exact bytes, not a
/// hash: no collision can hide a change. Raw token bytes: a value written differently (an escape, a number as a
/// string) only costs a decode, and <see cref="UsedFields"/> still decides.
/// <para>
/// Walks as <see cref="FrpServerReader"/>, <see cref="FrpServerStatusReader"/>, <see cref="ActiveConnectionConverter"/>
/// and <see cref="ProxyConfigConverter"/> read, field by field: what UsedFields compares is written, with a mark for
/// each container (a second <c>spec</c> replaces the first in the decode, so it must show here); every other field
/// those readers read is checked by their rules (<see cref="JsonRead"/>); what they skip is skipped. Keep it in step
/// with them: a field a reader starts to read goes here too (<c>UsedFieldsDigestTests</c> mutates every field of a
/// recorded object to catch one that does not).
/// </para>
/// </summary>
internal static partial class UsedFieldsDigest
{
    // One id per field or container that UsedFields compares; 0 is the buffer's end mark.
    private const byte Metadata = 1, Name = 2, Uid = 3, Created = 4, Deleted = 5;
    private const byte Spec = 6, BindAddr = 7, BindPort = 8, KcpBindPort = 9, QuicBindPort = 10, ProxyBindAddr = 11;
    private const byte Auth = 12, AuthMethod = 13, AuthToken = 14;

    /// <summary>
    /// Where the decode would find the resource's name and resourceVersion, as offsets into the bytes read, so the
    /// caller can look the name up and resume from the version without decoding either.
    /// </summary>
    internal struct Keys
    {
        public int NameStart, NameLength, VersionStart, VersionLength;

        /// <summary>Name or version in a form this walk does not reproduce (escaped, not a string): the caller decodes.</summary>
        public bool Opaque;
    }

    /// <summary>
    /// Writes the digest of the FRPServer object the reader is at; the reader ends on its closing brace. Throws where
    /// the decode would record a problem, in the resource or in one of its connections: a digest stands only for a
    /// version that decodes cleanly.
    /// </summary>
    /// <exception cref="JsonException">The decode would not be clean (or the JSON is broken).</exception>
    /// <exception cref="InvalidOperationException">A string the decode could not read (not UTF-8, a lone surrogate).</exception>
    public static void Write(ref Utf8JsonReader reader, DigestBuffer digest, ref Keys keys)
    {
        JsonRead.Expect(ref reader, JsonTokenType.StartObject);
        while (JsonRead.NextProperty(ref reader, out var name))
        {
            if (name.ValueTextEquals("status"u8)) WriteStatus(ref reader, digest);
            else if (name.ValueTextEquals("metadata"u8)) WriteMetadata(ref reader, digest, ref keys);
            else if (name.ValueTextEquals("spec"u8)) WriteSpec(ref reader, digest);
            else if (name.ValueTextEquals("apiVersion"u8) || name.ValueTextEquals("kind"u8)) JsonRead.CheckString(ref reader);
            else reader.Skip();
        }
        JsonRead.Expect(ref reader, JsonTokenType.EndObject);
    }

    private static void WriteMetadata(ref Utf8JsonReader reader, DigestBuffer digest, ref Keys keys)
    {
        keys = default; // a later metadata replaces an earlier one whole, as in the decode
        if (Opened(ref reader, digest, Metadata))
        {
            return;
        }
        while (JsonRead.NextProperty(ref reader, out var property))
        {
            if (property.ValueTextEquals("name"u8))
            {
                Text(ref reader, digest, Name);
                Locate(ref reader, ref keys.NameStart, ref keys.NameLength, ref keys.Opaque);
            }
            else if (property.ValueTextEquals("resourceVersion"u8))
            {
                JsonRead.CheckString(ref reader);
                Locate(ref reader, ref keys.VersionStart, ref keys.VersionLength, ref keys.Opaque);
            }
            else if (property.ValueTextEquals("uid"u8)) Text(ref reader, digest, Uid);
            else if (property.ValueTextEquals("generation"u8)) JsonRead.Int64(ref reader);
            else if (property.ValueTextEquals("creationTimestamp"u8)) Text(ref reader, digest, Created);
            else if (property.ValueTextEquals("deletionTimestamp"u8)) Text(ref reader, digest, Deleted);
            else reader.Skip(); // labels, annotations, managedFields: never read
        }
        Closed(ref reader, digest);
    }

    private static void WriteSpec(ref Utf8JsonReader reader, DigestBuffer digest)
    {
        if (Opened(ref reader, digest, Spec))
        {
            return;
        }
        while (JsonRead.NextProperty(ref reader, out var property))
        {
            if (property.ValueTextEquals("bindAddr"u8)) Text(ref reader, digest, BindAddr);
            else if (property.ValueTextEquals("bindPort"u8)) Port(ref reader, digest, BindPort);
            else if (property.ValueTextEquals("kcpBindPort"u8)) Port(ref reader, digest, KcpBindPort);
            else if (property.ValueTextEquals("quicBindPort"u8)) Port(ref reader, digest, QuicBindPort);
            else if (property.ValueTextEquals("proxyBindAddr"u8)) Text(ref reader, digest, ProxyBindAddr);
            else if (property.ValueTextEquals("auth"u8)) WriteAuth(ref reader, digest);
            else reader.Skip();
        }
        Closed(ref reader, digest);
    }

    private static void WriteAuth(ref Utf8JsonReader reader, DigestBuffer digest)
    {
        if (Opened(ref reader, digest, Auth))
        {
            return;
        }
        while (JsonRead.NextProperty(ref reader, out var property))
        {
            if (property.ValueTextEquals("method"u8)) Text(ref reader, digest, AuthMethod);
            else if (property.ValueTextEquals("token"u8)) Text(ref reader, digest, AuthToken);
            else reader.Skip();
        }
        Closed(ref reader, digest);
    }

    /// <summary>Marks an object-or-null container; true for null (nothing inside, nothing to close).</summary>
    private static bool Opened(ref Utf8JsonReader reader, DigestBuffer digest, byte field)
    {
        digest.Open(field, reader.TokenType);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }
        JsonRead.Expect(ref reader, JsonTokenType.StartObject);
        return false;
    }

    private static void Closed(ref Utf8JsonReader reader, DigestBuffer digest)
    {
        JsonRead.Expect(ref reader, JsonTokenType.EndObject);
        digest.Close();
    }

    /// <summary>A compared string field (<see cref="JsonRead.String"/>'s rule).</summary>
    private static void Text(ref Utf8JsonReader reader, DigestBuffer digest, byte field)
    {
        JsonRead.CheckString(ref reader);
        digest.Value(field, ref reader);
    }

    /// <summary>A compared port (<see cref="JsonRead.Int32"/>'s rule, which throws for what it refuses).</summary>
    private static void Port(ref Utf8JsonReader reader, DigestBuffer digest, byte field)
    {
        JsonRead.Int32(ref reader);
        digest.Value(field, ref reader);
    }

    /// <summary>Where a plain string value lies; null or empty is "none" (the decode's empty name or version is ignored).</summary>
    private static void Locate(ref Utf8JsonReader reader, ref int start, ref int length, ref bool opaque)
    {
        (start, length) = (0, 0);
        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
        {
            (start, length) = ((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
        }
        else if (reader.TokenType != JsonTokenType.Null)
        {
            opaque = true;
        }
    }
}
