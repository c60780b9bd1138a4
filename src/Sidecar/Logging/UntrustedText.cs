using System.Globalization;
using System.Text;

namespace Sidecar.Logging;

/// <summary>
/// Makes a string that someone else controls (a resource's name, a proxy name, an frps host, a parser's message
/// quoting them) safe to put in a log line: at most <see cref="MaxLength"/> characters, then an ellipsis and the
/// original length, and every control or bidirectional-formatting character written as <c>\uXXXX</c>. A writer
/// of resources can then neither flood the log with one field nor forge or reorder what an operator reads
/// (Trojan Source, CVE-2021-42574: U+202E and the isolates reorder text on screen; C0/C1 controls start new
/// lines or terminal escapes).
/// </summary>
internal static class UntrustedText
{
    /// <summary>Names and values: longer than any real proxy name (a DNS name is at most 253 octets, RFC 1035 §2.3.4, usually far less).</summary>
    public const int MaxLength = 128;

    /// <summary>Messages of our own that quote untrusted values already cut to <see cref="MaxLength"/>, or a parser's error.</summary>
    public const int MaxMessageLength = 512;

    public static string ForLog(string? value, int maxLength = MaxLength)
    {
        if (value is null)
        {
            return "(null)";
        }
        var cut = value.Length > maxLength;
        var kept = value.AsSpan(0, cut ? maxLength : value.Length);
        if (cut && kept.Length > 0 && char.IsHighSurrogate(kept[^1]))
        {
            kept = kept[..^1]; // never split a surrogate pair
        }
        if (!cut && !NeedsEscaping(kept))
        {
            return value;
        }
        var text = new StringBuilder(kept.Length + 24);
        foreach (var c in kept)
        {
            if (IsUnsafe(c))
            {
                text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }
        if (cut)
        {
            text.Append("…(").Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(" chars)");
        }
        return text.ToString();
    }

    private static bool NeedsEscaping(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (IsUnsafe(c))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// C0, DEL and C1 controls (<see cref="char.IsControl(char)"/>), the line and paragraph separators, and the
    /// bidirectional formatting characters of Unicode UAX #9: ALM, LRM, RLM, LRE..RLO, LRI..PDI.
    /// </summary>
    private static bool IsUnsafe(char c) =>
        char.IsControl(c) || c is '\u061C' or '\u200E' or '\u200F' or '\u2028' or '\u2029'
            or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
