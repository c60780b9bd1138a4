using System.Text;
using System.Text.Json;
using Sidecar.Discovery.Model;

namespace Sidecar.Discovery.Kubernetes;

/// <summary>
/// Recognises the operator's status churn on the raw bytes of a watch line. frps's operator rewrites every
/// FRPServer's status once a second with new traffic counters; decoding each rewrite (~40 KB of objects at 50
/// connections) only for <see cref="UsedFields"/> to find it equal kept the young generation busy and RSS creeping.
/// Here a MODIFIED event whose used-fields digest (<see cref="UsedFieldsDigest"/>) equals the one the cache holds
/// for that resource is consumed without a decode: only its resourceVersion is taken, so the watch still resumes
/// from the newest version. Everything else (other event types, a changed or unreadable object, a name or version
/// this walk does not reproduce) is decoded as before; a line that does not fit never makes a wrong decision, it
/// only costs the decode. One per scope (partition); not thread-safe, as its watch loop is not.
/// </summary>
internal sealed class ChurnFilter(ResourceCache cache, int partition)
{
    /// <summary>A name is a DNS subdomain (at most 253 characters); a longer one is left to the decode.</summary>
    private const int MaxNameBytes = 256;

    private readonly DigestBuffer _digest = new();
    private bool _hasDigest;

    /// <summary>
    /// The digest of the line last offered to <see cref="Absorb"/> when it was an ADDED or MODIFIED event that
    /// decodes cleanly, for the cache to keep with the decoded object; empty otherwise. Valid until the next line.
    /// </summary>
    public ReadOnlySpan<byte> Digest => _hasDigest ? _digest.Written : default;

    /// <returns>True when the line is a rewrite that changes nothing we use: <paramref name="position"/> has its version.</returns>
    public bool Absorb(ReadOnlySpan<byte> line, WatchPosition position)
    {
        _hasDigest = false;
        var keys = default(UsedFieldsDigest.Keys);
        bool modified;
        try
        {
            if (!TryDigest(line, ref keys, out modified))
            {
                return false;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            return false; // the decode reads it, and names what is wrong
        }
        _hasDigest = true;
        if (!modified || keys.Opaque || keys.NameLength is 0 or > MaxNameBytes)
        {
            return false;
        }
        Span<char> name = stackalloc char[MaxNameBytes];
        var chars = Encoding.UTF8.GetChars(line.Slice(keys.NameStart, keys.NameLength), name);
        // The version is taken last: a line refused after it was taken would leave the watch ahead of the cache.
        return cache.HoldsUnchanged(name[..chars], partition, _digest.Written)
            && (keys.VersionLength == 0 || position.TryAdvance(line.Slice(keys.VersionStart, keys.VersionLength)));
    }

    /// <summary>
    /// Walks the event as <see cref="WatchEventConverter"/> reads it. False for what is decoded without a digest:
    /// other event types, an object that is not an object, a second <c>type</c> or <c>object</c>.
    /// </summary>
    private bool TryDigest(ReadOnlySpan<byte> line, ref UsedFieldsDigest.Keys keys, out bool modified)
    {
        modified = false;
        var reader = new Utf8JsonReader(line);
        reader.Read();
        JsonRead.Expect(ref reader, JsonTokenType.StartObject);
        int types = 0, objects = 0;
        while (JsonRead.NextProperty(ref reader, out var property))
        {
            if (property.ValueTextEquals("type"u8))
            {
                modified = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("MODIFIED"u8);
                if (++types > 1 || !(modified || (reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("ADDED"u8))))
                {
                    return false;
                }
            }
            else if (property.ValueTextEquals("object"u8))
            {
                if (++objects > 1 || reader.TokenType != JsonTokenType.StartObject)
                {
                    return false;
                }
                _digest.Start(line.Length);
                UsedFieldsDigest.Write(ref reader, _digest, ref keys);
            }
            else
            {
                reader.Skip();
            }
        }
        JsonRead.Expect(ref reader, JsonTokenType.EndObject);
        return !reader.Read() && types == 1 && objects == 1; // as JsonRead.Whole: nothing after the event
    }
}
