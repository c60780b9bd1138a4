using System.Text;
using Sidecar.Discovery.Files;

namespace Sidecar.Tests.Discovery;

public sealed class ResourceDocumentsHostileTests
{
    [Fact]
    public void Parse_AliasBombOfFewNodesButLargeOutput_ThrowsFormatException()
    {
        // 11,111 nodes, far under any node budget, but 10^4 copies of a 1,000-character string: ~10 MB of output.
        var lines = new List<string> { $"a0: &a0 [\"{new string('x', 1_000)}\"]" };
        for (var i = 1; i <= 4; i++)
        {
            lines.Add($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]");
        }
        var e = Assert.Throws<FormatException>(() => ResourceDocuments.Parse(Encoding.UTF8.GetBytes(string.Join("\n", lines))));
        Assert.Contains("alias", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(64)]
    [InlineData(100)]
    public void Parse_NestedTooDeep_ThrowsFormatException(int depth)
    {
        var yaml = "spec: " + new string('[', depth) + new string(']', depth);
        var json = "{\"spec\":" + new string('[', depth) + new string(']', depth) + "}";
        Assert.Contains("nested", Assert.Throws<FormatException>(() => ResourceDocuments.Parse(Encoding.UTF8.GetBytes(yaml))).Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("nested", Assert.Throws<FormatException>(() => ResourceDocuments.Parse(Encoding.UTF8.GetBytes(json))).Message, StringComparison.OrdinalIgnoreCase);
    }
}
