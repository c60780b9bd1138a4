using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sidecar.Discovery.Files;

/// <summary>
/// Converts YamlDotNet's representation model to <see cref="JsonNode"/>s, so YAML goes through the same
/// source-generated JSON context as the API's answers (no reflection-based YAML deserializer under AOT).
/// Plain scalars are typed by the YAML 1.2 core schema (§10.3.2); quoted ones are always strings.
/// </summary>
internal static class YamlToJson
{
    /// <summary>Aliases can expand a small file into a huge tree ("billion laughs"); no real resource comes near this.</summary>
    private const int MaxNodes = 1_000_000;

    /// <exception cref="FormatException">The text is not YAML, or too large once aliases are expanded.</exception>
    public static IReadOnlyList<JsonNode?> Convert(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new FormatException($"YAML error at line {e.Start.Line}, column {e.Start.Column}: {e.Message}", e);
        }
        var budget = MaxNodes;
        var documents = new List<JsonNode?>(stream.Documents.Count);
        foreach (var document in stream.Documents)
        {
            documents.Add(ToNode(document.RootNode, ref budget));
        }
        return documents;
    }

    private static JsonNode? ToNode(YamlNode node, ref int budget)
    {
        if (--budget < 0)
        {
            throw new FormatException($"the YAML expands to more than {MaxNodes} nodes");
        }
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    var name = key is YamlScalarNode scalarKey ? scalarKey.Value ?? "" : throw new FormatException($"a non-scalar mapping key at line {key.Start.Line}");
                    obj[name] = ToNode(value, ref budget);
                }
                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                foreach (var child in sequence.Children)
                {
                    array.Add(ToNode(child, ref budget));
                }
                return array;
            case YamlScalarNode scalar:
                return ToScalar(scalar);
            default:
                throw new FormatException($"unsupported YAML node at line {node.Start.Line}");
        }
    }

    private static JsonNode? ToScalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (scalar.Style is not ScalarStyle.Plain || tag is "tag:yaml.org,2002:str")
        {
            return JsonValue.Create(value);
        }
        if (value is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }
        if (value is "true" or "True" or "TRUE")
        {
            return JsonValue.Create(true);
        }
        if (value is "false" or "False" or "FALSE")
        {
            return JsonValue.Create(false);
        }
        if (IsDecimalInteger(value))
        {
            // Beyond 64 bits: keep the digits exactly as text rather than round them through a double.
            return long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
                ? JsonValue.Create(integer) : JsonValue.Create(value);
        }
        if (value.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(value.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return JsonValue.Create(hex);
        }
        if (IsFloat(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real))
        {
            return JsonValue.Create(real);
        }
        // Everything else (v1, 0s, 0.61.2, 0.0.0.0, an out-of-range integer) stays a string.
        return JsonValue.Create(value);
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
