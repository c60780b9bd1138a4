using Sidecar.Discovery.Files;
using Sidecar.Discovery;
using Sidecar.Tests.Support;

namespace Sidecar.Tests.Discovery;

public sealed class FileSourceTests : FileSourceFixture
{
    [Fact]
    public async Task RunAsync_FileChanges_FollowsThem()
    {
        File.WriteAllText(PathOf, Doc("a"));
        Start();
        await Eventually.TrueAsync(() => Names().SequenceEqual(["a"]), "first read");
        File.WriteAllText(PathOf, Doc("a") + "---\n" + Doc("b"));
        await Eventually.TrueAsync(() => Names().SequenceEqual(["a", "b"]), "second document added");
        File.WriteAllText(PathOf, Doc("b"));
        await Eventually.TrueAsync(() => Names().SequenceEqual(["b"]), "first document removed");
    }

    [Fact]
    public async Task RunAsync_BrokenOrMissingFile_KeepsPreviousStateAndSaysWhy()
    {
        File.WriteAllText(PathOf, Doc("a"));
        Start();
        await Eventually.TrueAsync(() => Names().SequenceEqual(["a"]), "first read");

        File.WriteAllText(PathOf, "metadata: [this is not closed");
        await Eventually.TrueAsync(() => Log.Count(DiscoveryEventIds.FileParseFailed) == 1, "parse failure logged");
        Assert.Equal(["a"], Names());

        File.Delete(PathOf);
        await Eventually.TrueAsync(() => Log.Count(DiscoveryEventIds.FileReadFailed) == 1, "read failure logged");
        Assert.Equal(["a"], Names());

        File.WriteAllText(PathOf, "{\"kind\":\"List\",\"items\":[{\"metadata\":{\"name\":\"c\"}}]}");
        await Eventually.TrueAsync(() => Names().SequenceEqual(["c"]), "JSON list read after recovery");
        Assert.Equal(1, Log.Count(DiscoveryEventIds.FileParseFailed));
    }

    [Fact]
    public async Task RunAsync_FileAbsentAtStart_ReadsItWhenItAppears()
    {
        Start();
        await Eventually.TrueAsync(() => Log.Count(DiscoveryEventIds.FileReadFailed) == 1, "missing file logged");
        Assert.False(Cache.Synced.IsCompleted);
        File.WriteAllText(PathOf, Doc("late"));
        await Eventually.TrueAsync(() => Names().SequenceEqual(["late"]), "file read once present");
    }
}
