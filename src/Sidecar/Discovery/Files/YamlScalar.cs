using System.Globalization;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Sidecar.Discovery.Files;

/// <summary>
/// Types a YAML scalar as JSON: plain scalars by the YAML 1.2 core schema (§10.3.2); quoted ones, and those
/// tagged <c>!!str</c>, are always strings. Asked for text, every scalar but null is a string.
/// </summary>
internal static class YamlScalar
{
    public static void Write(Utf8JsonWriter json, Scalar scalar, bool asText = false)
    {
        var value = scalar.Value ?? "";
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (scalar.Style is not ScalarStyle.Plain || tag is "tag:yaml.org,2002:str")
        {
            json.WriteStringValue(value);
        }
        else if (value is "" or "~" or "null" or "Null" or "NULL")
        {
            json.WriteNullValue();
        }
        else if (asText)
        {
            json.WriteStringValue(value);
        }
        else if (value is "true" or "True" or "TRUE")
        {
            json.WriteBooleanValue(true);
        }
        else if (value is "false" or "False" or "FALSE")
        {
            json.WriteBooleanValue(false);
        }
        else if (IsDecimalInteger(value))
        {
            // Beyond 64 bits: keep the digits exactly as text rather than round them through a double.
            if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            {
                json.WriteNumberValue(integer);
            }
            else
            {
                json.WriteStringValue(value);
            }
        }
        else if (value.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(value.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            json.WriteNumberValue(hex);
        }
        else if (IsFloat(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real))
        {
            json.WriteNumberValue(real);
        }
        else
        {
            // Everything else (v1, 0s, 0.61.2, 0.0.0.0, an out-of-range hex number) stays a string.
            json.WriteStringValue(value);
        }
    }

    private static bool IsDecimalInteger(string value)
    {
        var digits = value.AsSpan(value.Length > 0 && value[0] is '-' or '+' ? 1 : 0);
        return digits.Length > 0 && !digits.ContainsAnyExceptInRange('0', '9');
    }

    /// <summary>The core schema's float: <c>[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?</c>.</summary>
    private static bool IsFloat(string value)
    {
        var s = value.AsSpan(value.Length > 0 && value[0] is '-' or '+' ? 1 : 0);
        var i = 0;
        var mantissaDigits = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i])) { i++; mantissaDigits++; }
        if (i < s.Length && s[i] == '.')
        {
            i++;
            while (i < s.Length && char.IsAsciiDigit(s[i])) { i++; mantissaDigits++; }
        }
        if (mantissaDigits == 0)
        {
            return false;
        }
        if (i < s.Length && s[i] is 'e' or 'E')
        {
            i++;
            if (i < s.Length && s[i] is '-' or '+') i++;
            var exponentDigits = 0;
            while (i < s.Length && char.IsAsciiDigit(s[i])) { i++; exponentDigits++; }
            if (exponentDigits == 0) return false;
        }
        return i == s.Length;
    }
}
