using System.Text;

namespace Sidecar.Dns.Wire;

/// <summary>
/// Domain names in uncompressed wire form: length-prefixed labels ending with the zero-length root label
/// (RFC 1035 §3.1). Reading follows compression pointers (RFC 1035 §4.1.4) only strictly backwards.
/// </summary>
internal static class DnsName
{
    private const byte PointerMask = 0xC0;

    /// <summary>A name's longest text form without the trailing dot: two octets less than on the wire.</summary>
    private const int MaxTextLength = DnsLimits.MaxNameLength - 2;

    /// <summary>
    /// Decodes the name at <paramref name="position"/> into <paramref name="destination"/> and advances
    /// <paramref name="position"/> past the name as it appears in place (up to and including the first pointer).
    /// </summary>
    /// <remarks>
    /// Each pointer must target an offset before the start of the label run that contains it. Targets then
    /// strictly decrease, so loops, self pointers and forward pointers are impossible by construction; the
    /// hop cap is a second, explicit bound.
    /// </remarks>
    public static DnsReadStatus Read(ReadOnlySpan<byte> message, ref int position, scoped Span<byte> destination, out int nameLength)
    {
        nameLength = 0;
        if (destination.Length < DnsLimits.MaxNameLength)
        {
            return DnsReadStatus.BufferTooSmall;
        }
        var cursor = position;
        var runStart = position;
        var endOfName = -1;
        var hops = 0;
        var written = 0;
        while (true)
        {
            if ((uint)cursor >= (uint)message.Length)
            {
                return DnsReadStatus.Truncated;
            }
            var length = message[cursor];
            if ((length & PointerMask) == PointerMask)
            {
                if (cursor + 1 >= message.Length)
                {
                    return DnsReadStatus.Truncated;
                }
                var target = ((length & ~PointerMask) << 8) | message[cursor + 1];
                if (target >= runStart)
                {
                    return DnsReadStatus.BadPointer;
                }
                if (++hops > DnsLimits.MaxPointerHops)
                {
                    return DnsReadStatus.TooManyPointers;
                }
                if (endOfName < 0)
                {
                    endOfName = cursor + 2;
                }
                cursor = runStart = target;
                continue;
            }
            if ((length & PointerMask) != 0)
            {
                return DnsReadStatus.ReservedLabelType;
            }
            // The label plus its length byte, and room for the root label that must still follow it.
            if (written + 1 + length + (length == 0 ? 0 : 1) > DnsLimits.MaxNameLength)
            {
                return DnsReadStatus.NameTooLong;
            }
            if (message.Length - cursor - 1 < length)
            {
                return DnsReadStatus.Truncated;
            }
            message.Slice(cursor, 1 + length).CopyTo(destination[written..]);
            written += 1 + length;
            cursor += 1 + length;
            if (length == 0)
            {
                position = endOfName >= 0 ? endOfName : cursor;
                nameLength = written;
                return DnsReadStatus.Ok;
            }
        }
    }

    /// <summary>ASCII lower-casing only: DNS compares names case-insensitively in ASCII (RFC 4343 §3).</summary>
    public static void ToLowerAscii(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        for (var i = 0; i < source.Length; i++)
        {
            var b = source[i];
            destination[i] = b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;
        }
    }

    /// <summary>
    /// The one rule for a name we serve or accept in settings, in text form without the trailing dot: labels of
    /// 1–63 letters, digits, '-' and '_' (RFC 1123 §2.1 host names, plus the '_' of service labels, RFC 8552),
    /// no label starting or ending with '-', at most 253 characters (255 octets on the wire, RFC 1035 §2.3.4).
    /// </summary>
    public static bool IsValid(ReadOnlySpan<char> name)
    {
        if (name.Length is 0 or > MaxTextLength)
        {
            return false;
        }
        foreach (var range in name.Split('.'))
        {
            var label = name[range];
            if (label.Length is 0 or > DnsLimits.MaxLabelLength || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }
            foreach (var c in label)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_')
                {
                    return false;
                }
            }
        }
        return true;
    }

    /// <summary>
    /// Encodes a dotted name ("a.b.c", trailing dot optional; "" is the root) to lower-case wire form; false when
    /// it breaks <see cref="IsValid"/> or does not fit <paramref name="destination"/>.
    /// </summary>
    public static bool TryEncode(string name, Span<byte> destination, out int written)
    {
        written = 0;
        var text = name.EndsWith('.') ? name.AsSpan(0, name.Length - 1) : name.AsSpan();
        if (text.Length > 0)
        {
            if (!IsValid(text) || text.Length + 2 > destination.Length)
            {
                return false;
            }
            foreach (var range in text.Split('.'))
            {
                var label = text[range];
                destination[written++] = (byte)label.Length;
                foreach (var c in label)
                {
                    destination[written++] = (byte)char.ToLowerInvariant(c);
                }
            }
        }
        if (written >= destination.Length)
        {
            return false;
        }
        destination[written++] = 0;
        return true;
    }

    /// <summary>Dotted text form for logs and tests ("." for the root). Non-printable octets become \DDD (RFC 4343 §2.1).</summary>
    public static string Format(ReadOnlySpan<byte> wireName)
    {
        var text = new StringBuilder();
        var i = 0;
        while (i < wireName.Length && wireName[i] != 0)
        {
            var length = wireName[i++];
            for (var j = 0; j < length && i < wireName.Length; j++, i++)
            {
                var b = wireName[i];
                if (b is > 0x20 and < 0x7F and not (byte)'.' and not (byte)'\\')
                {
                    text.Append((char)b);
                }
                else
                {
                    text.Append('\\').Append(b.ToString("D3", System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            text.Append('.');
        }
        return text.Length == 0 ? "." : text.ToString();
    }
}
