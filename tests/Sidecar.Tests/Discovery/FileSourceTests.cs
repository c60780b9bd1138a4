using Sidecar.Discovery.Files;
using Sidecar.Discovery;
using Sidecar.Tests.Support;

namespace Sidecar.Tests.Discovery;

public sealed class FileSourceTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sidecar-file-").FullName;
    private readonly ResourceCache _cache = new();
    private readonly CapturingLogger<FileSource> _log = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;
    private string PathOf => Path.Combine(_dir, "frpservers.yaml");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (OperationCanceledException)
        {
        }
        Directory.Delete(_dir, recursive: true);
    }

    private void Start() =>
        _running = Task.Run(() => new FileSource(PathOf, TimeSpan.FromMilliseconds(200), TimeProvider.System, _log).RunAsync(_cache, _stop.Token));

    private static string Doc(string name, string proxy = "mysql.abc") =>
        $"apiVersion: tunnel.kubeinfra.io/v1alpha1\nkind: FRPServer\nmetadata:\n  name: {name}\nstatus:\n  activeConnections:\n  - proxyName: {proxy}\n    status: online\n";

    private string[] Names() => [.. _cache.Snapshot().Select(s => s.Name).Order()];

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
        await Eventually.TrueAsync(() => _log.Count(DiscoveryEventIds.FileParseFailed) == 1, "parse failure logged");
        Assert.Equal(["a"], Names());

        File.Delete(PathOf);
        await Eventually.TrueAsync(() => _log.Count(DiscoveryEventIds.FileReadFailed) == 1, "read failure logged");
        Assert.Equal(["a"], Names());

        File.WriteAllText(PathOf, "{\"kind\":\"List\",\"items\":[{\"metadata\":{\"name\":\"c\"}}]}");
        await Eventually.TrueAsync(() => Names().SequenceEqual(["c"]), "JSON list read after recovery");
        Assert.Equal(1, _log.Count(DiscoveryEventIds.FileParseFailed));
    }

    [Fact]
    public async Task RunAsync_FileAbsentAtStart_ReadsItWhenItAppears()
    {
        Start();
        await Eventually.TrueAsync(() => _log.Count(DiscoveryEventIds.FileReadFailed) == 1, "missing file logged");
        Assert.False(_cache.Synced.IsCompleted);
        File.WriteAllText(PathOf, Doc("late"));
        await Eventually.TrueAsync(() => Names().SequenceEqual(["late"]), "file read once present");
    }
}
