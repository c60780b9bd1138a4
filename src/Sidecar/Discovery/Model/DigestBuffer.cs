using System.Text.Json;

namespace Sidecar.Discovery.Model;

/// <summary>
/// Where <see cref="UsedFieldsDigest"/> writes, reused from one watch line to the next so that recognising a status
/// rewrite allocates nothing. Records are self-delimiting (a field's id, its token type, its length, its raw bytes;
/// a container's id and token type; one byte at its end), so two equal digests are two equal sequences of fields read.
/// </summary>
internal sealed class DigestBuffer
{
    private const int InitialSize = 4 * 1024;

    /// <summary>As the watch stream's line buffer: a digest of an outsized event does not stay resident.</summary>
    private const int KeepSize = 256 * 1024;

    /// <summary>Closes the innermost container.</summary>
    private const byte End = 0;

    private byte[]? _bytes;
    private int _length;
    private int _limit;

    /// <summary>The digest written since <see cref="Start"/>.</summary>
    public ReadOnlySpan<byte> Written => _bytes.AsSpan(0, _length);

    /// <summary>Starts a digest of an object of <paramref name="sourceBytes"/> bytes.</summary>
    /// <remarks>
    /// A record is never longer than the JSON it stands for: a property name of at least three letters with its quotes
    /// and colon against 2 bytes of id and type and a 1-4 byte length; an item's braces against a byte at each end. So a
    /// digest is bounded by its event, which the watch bounds; the limit here is a guard, with slack.
    /// </remarks>
    public void Start(int sourceBytes)
    {
        _length = 0;
        _limit = sourceBytes + 64;
        if (_bytes is null || (_bytes.Length > KeepSize && _limit <= KeepSize))
        {
            _bytes = new byte[InitialSize];
        }
    }

    /// <summary>A scalar's raw token bytes: an escape or a number written differently costs a decode, never a missed change.</summary>
    public void Value(byte field, ref Utf8JsonReader reader)
    {
        var raw = reader.ValueSpan; // the reader is over one span: never a sequence
        var span = Reserve(2 + 5 + raw.Length);
        span[0] = field;
        span[1] = (byte)reader.TokenType;
        var used = 2;
        for (var length = (uint)raw.Length; ; length >>= 7)
        {
            span[used++] = (byte)(length < 0x80 ? length : (length & 0x7F) | 0x80);
            if (length < 0x80)
            {
                break;
            }
        }
        raw.CopyTo(span[used..]);
        _length += used + raw.Length;
    }

    /// <summary>A container opened; its token type says object, array or null.</summary>
    public void Open(byte field, JsonTokenType type)
    {
        var span = Reserve(2);
        span[0] = field;
        span[1] = (byte)type;
        _length += 2;
    }

    /// <summary>A container that can only be an object (an array's item), or a mark of one byte.</summary>
    public void Open(byte field)
    {
        Reserve(1)[0] = field;
        _length += 1;
    }

    public void Close() => Open(End);

    private Span<byte> Reserve(int bytes)
    {
        if (_length + bytes > _bytes!.Length)
        {
            if (_length + bytes > _limit + 7)
            {
                throw new JsonException("a digest longer than its event"); // cannot happen (see Start); the decode decides
            }
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + bytes));
        }
        return _bytes.AsSpan(_length);
    }
}
