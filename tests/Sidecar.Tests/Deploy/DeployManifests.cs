using System.Text.Json.Nodes;
using Sidecar.Discovery.Files;
using Sidecar.Tests.Support;

namespace Sidecar.Tests.Deploy;

/// <summary>The YAML under deploy/, read by the product's own YAML-to-JSON converter (the one that reads
/// FRPServer files), one JSON object per document.</summary>
internal static class DeployManifests
{
    public static IReadOnlyList<JsonObject> Load(string relativePath) =>
        YamlToJson.Convert(File.ReadAllBytes(RepositoryRoot.File(relativePath)))
            .Select(json => JsonNode.Parse(json.Span)).OfType<JsonObject>().ToList();

    /// <summary>The one object of that kind in the file.</summary>
    public static JsonObject Single(string relativePath, string kind) =>
        Assert.Single(Load(relativePath), o => (string?)o["kind"] == kind);

    public static string[] Strings(JsonNode? array) => array?.AsArray().Select(n => (string)n!).ToArray() ?? [];

    /// <summary>
    /// Whether a label selector (matchLabels and matchExpressions with In, NotIn, Exists, DoesNotExist, as in
    /// k8s.io/apimachinery labels.Selector) selects an object with these labels.
    /// </summary>
    public static bool Selects(JsonNode? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector is null)
        {
            return true;
        }
        foreach (var (key, value) in selector["matchLabels"]?.AsObject() ?? [])
        {
            if (!labels.TryGetValue(key, out var actual) || actual != (string?)value)
            {
                return false;
            }
        }
        foreach (var expression in selector["matchExpressions"]?.AsArray() ?? [])
        {
            var key = (string)expression!["key"]!;
            var values = Strings(expression["values"]);
            var has = labels.TryGetValue(key, out var actual);
            var matches = (string?)expression["operator"] switch
            {
                "In" => has && values.Contains(actual),
                "NotIn" => !has || !values.Contains(actual),
                "Exists" => has,
                "DoesNotExist" => !has,
                var op => throw new InvalidOperationException($"unknown selector operator {op}"),
            };
            if (!matches)
            {
                return false;
            }
        }
        return true;
    }
}
