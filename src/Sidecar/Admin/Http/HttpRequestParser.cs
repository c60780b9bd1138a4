using System.Text;

namespace Sidecar.Admin.Http;

/// <summary>
/// A strict reader for an HTTP/1.x request head (RFC 9112 §2–§5): pure, bounds-checked, never throws on
/// input. Anything a lenient server would guess at — bare LF, obs-fold, whitespace before the colon, a
/// body, two Hosts, several Content-Lengths — is refused, which also leaves nothing to smuggle.
/// </summary>
internal static class HttpRequestParser
{
    /// <summary>The whole head (request line and fields); probes and scrapers send a few hundred bytes.</summary>
    public const int MaxHeadBytes = 8 * 1024;

    private static ReadOnlySpan<byte> Crlf => "\r\n"u8;
    private static ReadOnlySpan<byte> EndOfHead => "\r\n\r\n"u8;

    /// <param name="received">The bytes read so far from the connection.</param>
    /// <param name="headLength">The head's length including the blank line, when complete.</param>
    public static HttpParseStatus Parse(ReadOnlySpan<byte> received, out HttpRequestHead head, out int headLength)
    {
        head = default;
        headLength = 0;
        var end = received[..Math.Min(received.Length, MaxHeadBytes)].IndexOf(EndOfHead);
        if (end < 0)
        {
            return received.Length >= MaxHeadBytes ? HttpParseStatus.HeadTooLarge : HttpParseStatus.Incomplete;
        }
        headLength = end + EndOfHead.Length;
        var lines = received[..(end + Crlf.Length)];
        var lineEnd = lines.IndexOf(Crlf);
        var status = ParseRequestLine(lines[..lineEnd], out head, out var http11);
        if (status != HttpParseStatus.Ok)
        {
            return status;
        }
        status = ParseFields(lines[(lineEnd + Crlf.Length)..], http11, out var close, out var keepAlive);
        head = head with { KeepAlive = http11 ? !close : keepAlive && !close };
        return status;
    }

    // RFC 9112 §3: request-line = method SP request-target SP HTTP-version
    private static HttpParseStatus ParseRequestLine(ReadOnlySpan<byte> line, out HttpRequestHead head, out bool http11)
    {
        head = default;
        http11 = false;
        var firstSpace = line.IndexOf((byte)' ');
        var lastSpace = line.LastIndexOf((byte)' ');
        if (firstSpace <= 0 || lastSpace <= firstSpace + 1)
        {
            return HttpParseStatus.BadRequest;
        }
        var method = line[..firstSpace];
        var target = line[(firstSpace + 1)..lastSpace];
        var version = line[(lastSpace + 1)..];
        if (!IsToken(method) || target[0] != (byte)'/' || target.IndexOfAnyExceptInRange((byte)0x21, (byte)0x7E) >= 0)
        {
            return HttpParseStatus.BadRequest;
        }
        if (!version.SequenceEqual("HTTP/1.1"u8) && !version.SequenceEqual("HTTP/1.0"u8))
        {
            return version.StartsWith("HTTP/"u8) && version.Length == 8 && char.IsAsciiDigit((char)version[5]) && version[6] == (byte)'.' && char.IsAsciiDigit((char)version[7])
                ? HttpParseStatus.VersionNotSupported
                : HttpParseStatus.BadRequest;
        }
        http11 = version[7] == (byte)'1';
        var query = target.IndexOf((byte)'?');
        head = new HttpRequestHead(Encoding.ASCII.GetString(method), Encoding.ASCII.GetString(query < 0 ? target : target[..query]));
        return HttpParseStatus.Ok;
    }

    // RFC 9112 §5: field-line = field-name ":" OWS field-value OWS, each line ending in CRLF.
    private static HttpParseStatus ParseFields(ReadOnlySpan<byte> fields, bool http11, out bool close, out bool keepAlive)
    {
        close = false;
        keepAlive = false;
        var hosts = 0;
        var contentLengths = 0;
        var declaresBody = false;
        while (!fields.IsEmpty)
        {
            var lineEnd = fields.IndexOf(Crlf);
            var line = fields[..lineEnd];
            fields = fields[(lineEnd + Crlf.Length)..];
            var colon = line.IndexOf((byte)':');
            // No colon, an empty name, obs-fold (a leading space, §5.2) or space before the colon (§5.1).
            if (colon <= 0 || !IsToken(line[..colon]))
            {
                return HttpParseStatus.BadRequest;
            }
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(" \t"u8);
            // Field values are visible characters, spaces and tabs; a CR, LF, NUL or other control is refused (§5.5).
            if (HasControl(value))
            {
                return HttpParseStatus.BadRequest;
            }
            if (Ascii.EqualsIgnoreCase(name, "Host"u8))
            {
                hosts++;
            }
            else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
            {
                // RFC 9110 §7.6.1: a comma-separated list of case-insensitive options.
                foreach (var range in value.Split((byte)','))
                {
                    var option = value[range].Trim(" \t"u8);
                    close |= Ascii.EqualsIgnoreCase(option, "close"u8);
                    keepAlive |= Ascii.EqualsIgnoreCase(option, "keep-alive"u8);
                }
            }
            else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
            {
                // §6.1: a body of unknown length; with Content-Length as well, the classic smuggling shape (§6.3).
                return HttpParseStatus.BadRequest;
            }
            else if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                if (++contentLengths > 1 || value.IsEmpty || value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
                {
                    return HttpParseStatus.BadRequest;
                }
                declaresBody = value.IndexOfAnyExcept((byte)'0') >= 0;
            }
        }
        // §3.2: an HTTP/1.1 request carries exactly one Host.
        if (http11 ? hosts != 1 : hosts > 1)
        {
            return HttpParseStatus.BadRequest;
        }
        return declaresBody ? HttpParseStatus.BodyNotAccepted : HttpParseStatus.Ok;
    }

    private static bool HasControl(ReadOnlySpan<byte> value)
    {
        foreach (var c in value)
        {
            if ((c < 0x20 && c != (byte)'\t') || c == 0x7F)
            {
                return true;
            }
        }
        return false;
    }

    // RFC 9110 §5.6.2: token = 1*tchar
    private static bool IsToken(ReadOnlySpan<byte> text)
    {
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit((char)c) || "!#$%&'*+-.^_`|~"u8.Contains(c)))
            {
                return false;
            }
        }
        return !text.IsEmpty;
    }
}
