namespace Sidecar.Injection;

/// <summary>The Content-Length of a request head that <see cref="Admin.Http.HttpRequestParser"/> has already
/// accepted (exactly one such field, digits only, no Transfer-Encoding: RFC 9112 §6.3).</summary>
internal static class ContentLength
{
    /// <summary>The declared length; <see cref="long.MaxValue"/> when it does not fit, which the caller refuses as too large.</summary>
    public static long Read(ReadOnlySpan<byte> head)
    {
        foreach (var range in head.Split("\r\n"u8))
        {
            var line = head[range];
            var colon = line.IndexOf((byte)':');
            if (colon > 0 && System.Text.Ascii.EqualsIgnoreCase(line[..colon], "Content-Length"u8))
            {
                long value = 0;
                foreach (var digit in line[(colon + 1)..].Trim(" \t"u8))
                {
                    if (value > (long.MaxValue - 9) / 10)
                    {
                        return long.MaxValue;
                    }
                    value = value * 10 + (digit - '0');
                }
                return value;
            }
        }
        return 0;
    }
}
