using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Sidecar.Tests.Discovery.StandIn;

/// <summary>
/// A STAND-IN for the Kubernetes API server, not a real one: it speaks the same wire format for the one
/// resource we use (HTTPS with its own CA, bearer token or client certificate, list, and watch streams of
/// one JSON event per line with bookmarks and 410 Expired) and can misbehave on request (500s, slow
/// answers, dropped connections). Loopback only, on an ephemeral port.
/// </summary>
internal sealed partial class StandInKubeApiServer : IAsyncDisposable
{
    public const string ResourcePath = "/apis/tunnel.kubeinfra.io/v1alpha1/frpservers";

    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, JsonObject> _resources = new(StringComparer.Ordinal);
    private readonly List<(long Rv, string Line)> _history = [];
    private readonly ConcurrentDictionary<Channel<string>, StandInHttpConnection> _watchers = new();
    private readonly ConcurrentDictionary<StandInHttpConnection, bool> _connections = new();
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private Task _accepting = Task.CompletedTask;
    private long _resourceVersion = 1000;
    private long _compactedThrough;

    private StandInKubeApiServer(StandInCertificates certificates, string token)
    {
        Certificates = certificates;
        Token = token;
    }

    public StandInCertificates Certificates { get; }
    public string Token { get; }
    public Uri Address { get; private set; } = null!;

    public int ListCount;
    public int WatchCount;
    public int UnauthorizedCount;
    /// <summary>The next this-many lists answer 500.</summary>
    public int FailNextLists;
    /// <summary>The next this-many watches answer HTTP 410 instead of streaming.</summary>
    public int GoneNextWatches;
    /// <summary>Lists wait this long before answering (a slow or overloaded API server).</summary>
    public TimeSpan ListDelay = TimeSpan.Zero;
    public string? LastWatchResourceVersion { get; private set; }

    public static Task<StandInKubeApiServer> StartAsync()
    {
        var server = new StandInKubeApiServer(new StandInCertificates(), Convert.ToHexString(Guid.NewGuid().ToByteArray()));
        server._listener.Start();
        server.Address = new Uri($"https://127.0.0.1:{((IPEndPoint)server._listener.LocalEndpoint).Port}/");
        server._accepting = Task.Run(server.AcceptLoopAsync);
        return Task.FromResult(server);
    }

    public string WriteKubeconfig(string directory, string? token = null, bool wrongCa = false, bool clientCertificate = false)
    {
        using var other = wrongCa ? new StandInCertificates("some-other-ca") : null;
        var ca = StandInCertificates.ToPem((other ?? Certificates).Authority);
        return StandInKubeconfig.Write(directory, Address, ca, clientCertificate ? null : token ?? Token,
            clientCertificate ? (StandInCertificates.ToPem(Certificates.Client), StandInCertificates.KeyToPem(Certificates.Client)) : null);
    }

    /// <summary>Creates or replaces a resource (ADDED or MODIFIED), stamping a new resourceVersion.</summary>
    public void Put(JsonObject resource)
    {
        lock (_gate)
        {
            var name = resource["metadata"]!["name"]!.GetValue<string>();
            var type = _resources.ContainsKey(name) ? "MODIFIED" : "ADDED";
            var copy = resource.DeepClone().AsObject();
            copy["metadata"]!["resourceVersion"] = (++_resourceVersion).ToString(CultureInfo.InvariantCulture);
            _resources[name] = copy;
            Emit(type, copy);
        }
    }

    public void Delete(string name)
    {
        lock (_gate)
        {
            if (_resources.Remove(name, out var gone))
            {
                var copy = gone.DeepClone().AsObject();
                copy["metadata"]!["resourceVersion"] = (++_resourceVersion).ToString(CultureInfo.InvariantCulture);
                Emit("DELETED", copy);
            }
        }
    }

    /// <summary>Sends a watch event with a raw object, e.g. one the model cannot read.</summary>
    public void PutRaw(string type, JsonObject obj)
    {
        lock (_gate)
        {
            Emit(type, obj);
        }
    }

    public void Bookmark()
    {
        lock (_gate)
        {
            var rv = (++_resourceVersion).ToString(CultureInfo.InvariantCulture);
            Emit("BOOKMARK", new JsonObject { ["kind"] = "FRPServer", ["apiVersion"] = "tunnel.kubeinfra.io/v1alpha1", ["metadata"] = new JsonObject { ["resourceVersion"] = rv } });
        }
    }

    /// <summary>Forgets the event history, as etcd compaction does: watching from an older version yields 410 Expired.</summary>
    public void Compact()
    {
        lock (_gate)
        {
            _compactedThrough = _resourceVersion;
            _history.Clear();
            foreach (var watcher in _watchers.Keys)
            {
                watcher.Writer.TryWrite(ExpiredLine());
            }
        }
    }

    /// <summary>Aborts every open watch connection (a load balancer or API server restart).</summary>
    public void DropWatches()
    {
        foreach (var connection in _watchers.Values)
        {
            connection.Abort();
        }
    }

    public int OpenWatches => _watchers.Count;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        foreach (var connection in _connections.Keys)
        {
            connection.Abort();
        }
        await _accepting;
        Certificates.Dispose();
    }

    private void Emit(string type, JsonObject obj)
    {
        var line = new JsonObject { ["type"] = type, ["object"] = obj.DeepClone() }.ToJsonString();
        _history.Add((_resourceVersion, line));
        foreach (var watcher in _watchers.Keys)
        {
            watcher.Writer.TryWrite(line);
        }
    }

    private static string ExpiredLine() => new JsonObject
    {
        ["type"] = "ERROR",
        ["object"] = new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Failure", ["message"] = "too old resource version", ["reason"] = "Expired", ["code"] = 410 },
    }.ToJsonString();
}
