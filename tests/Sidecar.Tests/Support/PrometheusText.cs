using System.Globalization;
using System.Text.RegularExpressions;

namespace Sidecar.Tests.Support;

/// <summary>
/// A strict reader of the Prometheus text exposition format (0.0.4) for tests: every line must be a
/// HELP/TYPE comment or a sample; every sample's family must have been declared by a TYPE line.
/// </summary>
internal static partial class PrometheusText
{
    public static Dictionary<string, double> Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        var families = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                continue;
            }
            var type = TypeLine().Match(line);
            if (type.Success)
            {
                Assert.True(families.TryAdd(type.Groups[1].Value, type.Groups[2].Value), $"duplicate TYPE: {line}");
                continue;
            }
            var sample = SampleLine().Match(line);
            Assert.True(sample.Success, $"not a valid sample line: '{line}'");
            var name = sample.Groups[1].Value;
            var family = families.Keys.FirstOrDefault(f => name == f || (families[f] == "histogram" && (name == f + "_bucket" || name == f + "_sum" || name == f + "_count")));
            Assert.True(family is not null, $"sample without TYPE: {line}");
            var value = double.Parse(sample.Groups[3].Value, CultureInfo.InvariantCulture);
            Assert.True(samples.TryAdd(name + sample.Groups[2].Value, value), $"duplicate sample: {line}");
        }
        return samples;
    }

    [GeneratedRegex(@"^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*=""(?:[^""\\]|\\.)*"",?)*\})? (-?[0-9.eE+-]+|NaN|\+Inf|-Inf)$")]
    private static partial Regex SampleLine();
}
