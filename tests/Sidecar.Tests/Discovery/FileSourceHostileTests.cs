using System.Text;
using Microsoft.Extensions.Logging;
using Sidecar.Discovery.Files;
using Sidecar.Discovery;
using Sidecar.Tests.Support;

namespace Sidecar.Tests.Discovery;

/// <summary>Files a hostile or careless writer could produce: each keeps the last good state and the source watching.</summary>
public sealed class FileSourceHostileTests : FileSourceFixture
{
    private string[] Proxies() => [.. Cache.Snapshot().SelectMany(s => s.Status?.ActiveConnections ?? []).Select(c => c.ProxyName ?? "").Order()];

    public static TheoryData<string, int> Nestings() => new()
    {
        { "yaml-block", 64 }, { "yaml-flow", 64 }, { "json", 64 }, { "yaml-flow", 100 }, { "json", 100 }, { "yaml-flow", 20_000 }, { "json", 20_000 },
    };

    private static string Nested(string kind, int depth) => kind switch
    {
        "json" => "{\"metadata\":{\"name\":\"deep\"},\"spec\":" + string.Concat(Enumerable.Repeat("[", depth)) + string.Concat(Enumerable.Repeat("]", depth)) + "}",
        "yaml-flow" => "metadata: {name: deep}\nspec: " + string.Concat(Enumerable.Repeat("[", depth)) + string.Concat(Enumerable.Repeat("]", depth)) + "\n",
        _ => "metadata:\n  name: deep\nspec:\n" + string.Concat(Enumerable.Range(1, depth).Select(i => new string(' ', 2 * i) + "k:\n")) + new string(' ', 2 * depth + 2) + "x: 1\n",
    };

    [Theory]
    [MemberData(nameof(Nestings))]
    public async Task RunAsync_DeeplyNestedDocument_KeepsLastGoodAndKeepsWatching(string kind, int depth)
    {
        Write(Doc("a"));
        Start();
        await Eventually.TrueAsync(() => Names().SequenceEqual(["a"]), "first read");

        Write(Nested(kind, depth));
        await Eventually.TrueAsync(() => Log.Count(DiscoveryEventIds.FileParseFailed) == 1 || Running.IsCompleted, "parse failure reported");
        Assert.False(Running.IsCompleted, $"the source stopped: {Running.Exception?.InnerException}");
        Assert.Contains("nested", Log.Entries.Single(e => e.EventId == DiscoveryEventIds.FileParseFailed).Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(["a"], Names());

        Write(Doc("b"));
        await Eventually.TrueAsync(() => Names().SequenceEqual(["b"]), "a good file read after the nested one");
    }

    [Fact]
    public async Task RunAsync_EditKeepsResourceVersion_TakesEffect()
    {
        // Hand edits and copies of `kubectl get -o yaml` keep metadata.resourceVersion (the repository's sample does).
        Write(Doc("a", proxy: "mysql.abc"));
        Start();
        await Eventually.TrueAsync(() => Proxies().SequenceEqual(["mysql.abc"]), "first read");

        Write(Doc("a", proxy: "redis.abc"));
        await Eventually.TrueAsync(() => Proxies().SequenceEqual(["redis.abc"]), "the edited content is in effect");
    }

    [Fact]
    public async Task RunAsync_FileLargerThanLimit_RejectedWithClearErrorAndKeepsState()
    {
        Write(Doc("a"));
        Start();
        await Eventually.TrueAsync(() => Names().SequenceEqual(["a"]), "first read");

        // Valid YAML: a resource padded with a comment, larger than the limit.
        var big = new StringBuilder(Doc("big"));
        var line = "# " + new string('x', 1022) + "\n";
        while (big.Length <= FileLimits.MaxFileBytes)
        {
            big.Append(line);
        }
        Write(big.ToString());
        await Eventually.TrueAsync(() => Log.Count(DiscoveryEventIds.FileTooLarge) == 1, "size refusal reported");
        Assert.Contains("larger than the limit", Log.All);
        Assert.Equal(["a"], Names());

        Write(Doc("b"));
        await Eventually.TrueAsync(() => Names().SequenceEqual(["b"]), "a good file read after the big one");
    }

    [Fact]
    public async Task RunAsync_UnchangedEndpoints_LoadedLineNotAtInformation()
    {
        Write(Doc("a"));
        Start();
        await Eventually.TrueAsync(() => Log.Count(DiscoveryEventIds.FileLoaded) >= 1, "first read");
        for (var i = 0; i < 3; i++)
        {
            Write(Doc("a") + $"    todayTrafficIn: {i + 1}\n");
            await Eventually.TrueAsync(() => Log.Count(DiscoveryEventIds.FileLoaded) >= i + 2, $"re-read {i + 1}");
        }
        Assert.DoesNotContain(Log.Entries, e => e.EventId == DiscoveryEventIds.FileLoaded && e.Level >= LogLevel.Information);
    }
}
