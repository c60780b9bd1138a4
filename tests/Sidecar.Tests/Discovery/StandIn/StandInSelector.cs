using System.Text.Json.Nodes;

namespace Sidecar.Tests.Discovery.StandIn;

/// <summary>
/// The stand-in's label and field selectors, as the API server reads them for a custom resource: label
/// requirements <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k in (a,b)</c>, <c>k notin (a,b)</c>, <c>k</c>,
/// <c>!k</c> (ANDed by commas); fields only <c>metadata.name</c> (and <c>metadata.namespace</c>) with =, == or !=.
/// </summary>
internal sealed class StandInSelector
{
    private readonly List<Func<string, IReadOnlyDictionary<string, string>, bool>> _requirements = [];

    public static readonly StandInSelector Everything = new();

    /// <exception cref="FormatException">The selector is not valid; the message is the API server's wording.</exception>
    public static StandInSelector Parse(string? labelSelector, string? fieldSelector)
    {
        var selector = new StandInSelector();
        foreach (var part in SplitTopLevel(labelSelector))
        {
            selector._requirements.Add(ParseLabel(part));
        }
        foreach (var part in SplitTopLevel(fieldSelector))
        {
            selector._requirements.Add(ParseField(part));
        }
        return selector;
    }

    public bool Matches(string name, IReadOnlyDictionary<string, string> labels) => _requirements.TrueForAll(r => r(name, labels));

    public static IReadOnlyDictionary<string, string> LabelsOf(JsonObject resource)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (resource["metadata"]?["labels"] is JsonObject map)
        {
            foreach (var (key, value) in map)
            {
                labels[key] = value?.GetValue<string>() ?? "";
            }
        }
        return labels;
    }

    private static Func<string, IReadOnlyDictionary<string, string>, bool> ParseLabel(string text)
    {
        if (text.StartsWith('!'))
        {
            var key = Key(text[1..]);
            return (_, l) => !l.ContainsKey(key);
        }
        foreach (var (op, negate) in new[] { (" notin ", true), (" in ", false) })
        {
            var at = text.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var key = Key(text[..at]);
                var set = text[(at + op.Length)..].Trim();
                if (!set.StartsWith('(') || !set.EndsWith(')'))
                {
                    throw new FormatException($"unable to parse requirement: found '{set}', expected: '('");
                }
                var values = set[1..^1].Split(',', StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
                return (_, l) => l.TryGetValue(key, out var v) ? values.Contains(v) != negate : negate;
            }
        }
        if (TrySplit(text, out var k, out var value, out var not))
        {
            var key = Key(k);
            return (_, l) => (l.TryGetValue(key, out var v) && v == value) != not;
        }
        var exists = Key(text);
        return (_, l) => l.ContainsKey(exists);
    }

    private static Func<string, IReadOnlyDictionary<string, string>, bool> ParseField(string text)
    {
        if (!TrySplit(text, out var field, out var value, out var not))
        {
            throw new FormatException($"invalid selector: '{text}'; can't understand '{text}'");
        }
        return field.Trim() switch
        {
            "metadata.name" => (name, _) => (name == value) != not,
            "metadata.namespace" => (_, _) => (value.Length == 0) != not, // cluster-scoped: no namespace
            var other => throw new FormatException($"field label not supported: {other}"),
        };
    }

    private static bool TrySplit(string text, out string key, out string value, out bool not)
    {
        foreach (var op in new[] { "!=", "==", "=" })
        {
            var at = text.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                (key, value, not) = (text[..at].Trim(), text[(at + op.Length)..].Trim(), op == "!=");
                return true;
            }
        }
        (key, value, not) = ("", "", false);
        return false;
    }

    private static string Key(string text)
    {
        var key = text.Trim();
        return key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/')
            ? key
            : throw new FormatException($"unable to parse requirement: invalid label key \"{key}\"");
    }

    /// <summary>Commas separate requirements, except inside the parentheses of a set.</summary>
    private static IEnumerable<string> SplitTopLevel(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            yield break;
        }
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || (text[i] == ',' && depth == 0))
            {
                var part = text[start..i].Trim();
                if (part.Length > 0)
                {
                    yield return part;
                }
                start = i + 1;
            }
            else if (text[i] == '(')
            {
                depth++;
            }
            else if (text[i] == ')')
            {
                depth--;
            }
        }
    }
}
