using Sidecar.Discovery;
using Sidecar.Discovery.Files;
using Sidecar.Tests.Support;

namespace Sidecar.Tests.Discovery;

/// <summary>
/// A real <see cref="FileSource"/> on a private temporary directory, writing into a <see cref="ResourceCache"/>
/// with captured logs; shared by the ordinary and the hostile file-source tests.
/// </summary>
public abstract class FileSourceFixture : IAsyncLifetime
{
    private readonly CancellationTokenSource _stop = new();

    private protected string Dir { get; } = Directory.CreateTempSubdirectory("sidecar-file-").FullName;

    private protected ResourceCache Cache { get; } = new();

    private protected CapturingLogger<FileSource> Log { get; } = new();

    /// <summary>The source's run, once <see cref="Start"/> was called.</summary>
    private protected Task Running { get; private set; } = Task.CompletedTask;

    private protected string PathOf => Path.Combine(Dir, "frpservers.yaml");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Running.WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (OperationCanceledException)
        {
        }
        Directory.Delete(Dir, recursive: true);
    }

    private protected void Start() =>
        Running = Task.Run(() => new FileSource(PathOf, TimeSpan.FromMilliseconds(200), TimeProvider.System, Log).RunAsync(Cache, _stop.Token));

    private protected static string Doc(string name, string proxy = "mysql.abc", string resourceVersion = "689594") =>
        $"apiVersion: tunnel.kubeinfra.io/v1alpha1\nkind: FRPServer\nmetadata:\n  name: {name}\n  uid: u-{name}\n  resourceVersion: \"{resourceVersion}\"\nstatus:\n  activeConnections:\n  - proxyName: {proxy}\n    status: online\n";

    /// <summary>Temp file + rename, as a careful writer does: the source never sees a half-written file.</summary>
    private protected void Write(string text)
    {
        File.WriteAllText(PathOf + ".tmp", text);
        File.Move(PathOf + ".tmp", PathOf, overwrite: true);
    }

    private protected string[] Names() => [.. Cache.Snapshot().Select(s => s.Name).Order()];
}
