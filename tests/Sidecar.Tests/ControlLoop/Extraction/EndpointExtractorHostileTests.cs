using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Sidecar.Configuration;
using Sidecar.ControlLoop.Extraction;
using Sidecar.Discovery.Model;
using Sidecar.Tests.Support;

namespace Sidecar.Tests.ControlLoop.Extraction;

/// <summary>Resources a hostile writer could publish: logs stay few, short and inert; one service stays bounded.</summary>
public sealed class EndpointExtractorHostileTests
{
    private readonly CapturingLogger<EndpointExtractor> _log = new();

    private EndpointExtractor Create(string mapped) =>
        new(new EndpointRules(ServiceNames.ParseMappedServices(mapped, 100).ToDictionary(s => s.Name), null, null), _log);

    private static FrpServer Decode(JsonObject json) => json.Deserialize(FrpJsonContext.Default.FrpServer)!;

    private IEnumerable<string> Warnings => _log.Entries.Where(e => e.Level >= LogLevel.Warning).Select(e => e.Message);

    [Fact]
    public void Extract_TenThousandBadItems_OneSummaryAndTheFirstFewDetails()
    {
        var server = TestResources.FrpServer("s", connections: [.. Enumerable.Range(0, 10_000).Select(i => TestResources.Connection($"bad_{i}!"))]);
        var extractor = Create("mysql.abc");

        extractor.Extract([Decode(server)]);

        Assert.InRange(Warnings.Count(), 2, 6);
        Assert.Contains(Warnings, w => w.Contains("10000", StringComparison.Ordinal) || w.Contains("10,000", StringComparison.Ordinal));
        extractor.Extract([Decode(server)]);
        Assert.InRange(Warnings.Count(), 2, 6); // a persisting problem is not repeated
    }

    [Fact]
    public void Extract_FiveThousandCharacterProxyName_LogLineStaysShort()
    {
        var server = TestResources.FrpServer("s", connections: TestResources.Connection(new string('a', 5_000) + "!"));

        Create("mysql.abc").Extract([Decode(server)]);

        var warning = Assert.Single(Warnings);
        Assert.InRange(warning.Length, 1, 600);
        Assert.Contains("5001", warning, StringComparison.Ordinal); // the original length is said
    }

    [Theory]
    [InlineData("\u202E")] // RIGHT-TO-LEFT OVERRIDE
    [InlineData("\u2066")] // LEFT-TO-RIGHT ISOLATE
    [InlineData("\u200F")] // RIGHT-TO-LEFT MARK
    [InlineData("\u001B[31m")] // C0: an ANSI colour escape
    [InlineData("\n")]
    [InlineData("\u0085")] // C1: NEXT LINE
    public void Extract_ControlOrBidiCharacters_EscapedInLog(string hostile)
    {
        var server = TestResources.FrpServer("res" + hostile, connections: TestResources.Connection("evil" + hostile + "name"));

        Create("mysql.abc").Extract([Decode(server)]);

        var warning = Assert.Single(Warnings);
        Assert.DoesNotContain(warning, c => char.IsControl(c) || c is '\u200E' or '\u200F' || c is >= '\u202A' and <= '\u202E' || c is >= '\u2066' and <= '\u2069');
        Assert.Contains($"\\u{(int)hostile[0]:X4}", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_OneServiceWithTenThousandPorts_BoundedWithOneWarning()
    {
        var connections = Enumerable.Range(0, 10_000).Select(i => TestResources.Connection($"tcp://mysql.abc:{1_000 + i}/svc")).ToArray();
        var server = TestResources.FrpServer("s", connections: connections);
        var extractor = Create("mysql.abc");

        var desired = extractor.Extract([Decode(server)]);

        Assert.Equal(EndpointLimits.MaxPortsPerService, desired.Count);
        // The lowest ports are kept, so the choice is stable across reads.
        Assert.Equal(Enumerable.Range(1_000, EndpointLimits.MaxPortsPerService), desired.Keys.Select(k => k.Port).Order());
        var warning = Assert.Single(Warnings);
        Assert.Contains($"{EndpointLimits.MaxPortsPerService}", warning, StringComparison.Ordinal);
        extractor.Extract([Decode(server)]);
        Assert.Single(Warnings);
    }
}
