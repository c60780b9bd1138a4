using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Sidecar.Tests.Discovery.StandIn;

/// <summary>
/// A STAND-IN for the Kubernetes API server, not a real one. It answers the one resource we use the way
/// kube-apiserver 1.28 does in the recordings (Data/kube-apiserver-1.28): lists served from a watch cache
/// (resourceVersion=0 / resourceVersionMatch=NotOlderThan) or as a quorum read; watch streams of one JSON
/// event per line with BOOKMARKs when asked for, 410 Expired as an ERROR event in a 200 stream when the
/// version is older than its bounded event window; label and field selectors; 401/403 Status bodies. It can
/// misbehave on request (500s, slow answers, dropped connections) and counts requests, events and bytes
/// per client (per bearer token). HTTPS with its own CA, loopback only, on an ephemeral port.
/// </summary>
internal sealed partial class StandInKubeApiServer : IAsyncDisposable
{
    public const string ResourcePath = "/apis/tunnel.kubeinfra.io/v1alpha1/frpservers";
    /// <summary>The user the recordings were made as; named in 403 answers.</summary>
    public const string User = "sidecar";

    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, StandInObject> _resources = new(StringComparer.Ordinal);
    private readonly LinkedList<StandInEvent> _history = [];
    private readonly ConcurrentDictionary<StandInWatcher, bool> _watchers = new();
    private readonly ConcurrentDictionary<StandInHttpConnection, bool> _connections = new();
    private readonly ConcurrentDictionary<string, StandInClientStats> _tokens = new(StringComparer.Ordinal);
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private Task _accepting = Task.CompletedTask;
    private long _resourceVersion = 1000;
    /// <summary>Watching from a version below this answers 410: the events after it are no longer kept.</summary>
    private long _compactedThrough;

    private StandInKubeApiServer(StandInCertificates certificates, string token)
    {
        Certificates = certificates;
        Token = token;
        _tokens[token] = new StandInClientStats("default");
        CertificateClient = new StandInClientStats("client-certificate");
    }

    public StandInCertificates Certificates { get; }
    public string Token { get; }
    public Uri Address { get; private set; } = null!;
    public StandInClientStats CertificateClient { get; }

    public int ListCount;
    /// <summary>Lists with no resourceVersion: a quorum read from etcd, the expensive kind.</summary>
    public int QuorumListCount;
    public int WatchCount;
    public int UnauthorizedCount;
    /// <summary>The next this-many lists answer 500.</summary>
    public int FailNextLists;
    /// <summary>The next this-many watches answer 200 with a single ERROR 410 Expired event (the watch cache's way).</summary>
    public int GoneNextWatches;
    /// <summary>The next this-many watches answer HTTP 410 with a Status body (an older server or etcd watch).</summary>
    public int HttpGoneNextWatches;
    /// <summary>Accept TCP connections but hold their TLS handshake while true (an overloaded API server).</summary>
    public bool StallHandshakes { get; set; }
    /// <summary>Answer 403 to every frpservers request, as a missing RBAC rule would.</summary>
    public bool Forbid { get; set; }
    /// <summary>Lists wait this long before answering (a slow or overloaded API server).</summary>
    public TimeSpan ListDelay = TimeSpan.Zero;
    /// <summary>How often an open watch that asked for bookmarks gets one (the real server: about once a minute).</summary>
    public TimeSpan BookmarkInterval = TimeSpan.FromMinutes(1);
    /// <summary>Events kept for watches to resume from, as the watch cache's capacity.</summary>
    public int HistoryCapacity = 1000;

    /// <summary>Recorded answers to give verbatim to the next requests, whatever they ask (see <see cref="ServeNext"/>).</summary>
    private readonly ConcurrentQueue<(int Status, string? Body, string[]? Lines)> _canned = new();

    public string? LastWatchResourceVersion { get; private set; }
    public string? LastListQuery { get; private set; }
    public string? LastWatchQuery { get; private set; }

    /// <summary>The version of the newest change.</summary>
    public long ResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _resourceVersion;
            }
        }
    }

    public int OpenWatches => _watchers.Count;

    public IEnumerable<StandInClientStats> Clients => _tokens.Values.Append(CertificateClient);

    public static Task<StandInKubeApiServer> StartAsync()
    {
        var server = new StandInKubeApiServer(new StandInCertificates(), Convert.ToHexString(Guid.NewGuid().ToByteArray()));
        server._listener.Start(512);
        server.Address = new Uri($"https://127.0.0.1:{((IPEndPoint)server._listener.LocalEndpoint).Port}/");
        server._accepting = Task.Run(server.AcceptLoopAsync);
        return Task.FromResult(server);
    }

    /// <summary>A bearer token of its own for a client, so its requests and bytes are counted apart.</summary>
    public string AddClient(string name)
    {
        var token = Convert.ToHexString(Guid.NewGuid().ToByteArray());
        _tokens[token] = new StandInClientStats(name);
        return token;
    }

    /// <summary>The next request gets exactly this status and body (e.g. a recording of the real server).</summary>
    public void ServeNext(int status, string body) => _canned.Enqueue((status, body, null));

    /// <summary>The next request gets a 200 watch stream of exactly these lines, then the end of the stream.</summary>
    public void ServeNextWatch(IEnumerable<string> lines) => _canned.Enqueue((200, null, [.. lines]));

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
            copy["metadata"]!["resourceVersion"] = Rv(++_resourceVersion);
            var stored = StandInObject.From(copy);
            _resources[name] = stored;
            Emit(type, stored);
        }
    }

    public void Delete(string name)
    {
        lock (_gate)
        {
            if (_resources.Remove(name, out var gone))
            {
                var copy = gone.Json.DeepClone().AsObject();
                copy["metadata"]!["resourceVersion"] = Rv(++_resourceVersion);
                Emit("DELETED", StandInObject.From(copy));
            }
        }
    }

    /// <summary>Sends a watch event with a raw object, e.g. one the model cannot read.</summary>
    public void PutRaw(string type, JsonObject obj)
    {
        lock (_gate)
        {
            Emit(type, StandInObject.From(obj));
        }
    }

    /// <summary>
    /// Something this client does not see changed (another resource, filtered by its selector), then every
    /// watch that asked for bookmarks gets one at the new version: the version to resume from moves on.
    /// </summary>
    public void Bookmark()
    {
        lock (_gate)
        {
            ++_resourceVersion;
            foreach (var watcher in _watchers.Keys)
            {
                watcher.SendBookmark();
            }
        }
    }

    /// <summary>
    /// Forgets the event history and ends every open watch with 410 Expired, as a watch cache re-initialised
    /// after an API server restart does: resuming from an older version needs a new list.
    /// </summary>
    public void Compact()
    {
        lock (_gate)
        {
            _compactedThrough = _resourceVersion;
            _history.Clear();
            foreach (var watcher in _watchers.Keys)
            {
                watcher.Offer(Encoding.UTF8.GetBytes(StandInStatus.ExpiredEventLine(watcher.From, _compactedThrough) + "\n"));
                watcher.Complete();
            }
        }
    }

    /// <summary>Aborts every open watch connection (a load balancer or API server restart).</summary>
    public void DropWatches()
    {
        foreach (var watcher in _watchers.Keys)
        {
            watcher.Connection.Abort();
        }
    }

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

    private static string Rv(long version) => version.ToString(CultureInfo.InvariantCulture);

    private void Emit(string type, StandInObject obj)
    {
        var e = new StandInEvent(_resourceVersion, obj.Name, obj.Labels,
            Encoding.UTF8.GetBytes(new JsonObject { ["type"] = type, ["object"] = obj.Json.DeepClone() }.ToJsonString() + "\n"));
        _history.AddLast(e);
        while (_history.Count > HistoryCapacity)
        {
            _compactedThrough = _history.First!.Value.Rv;
            _history.RemoveFirst();
        }
        foreach (var watcher in _watchers.Keys)
        {
            if (watcher.Selector.Matches(e.Name, e.Labels))
            {
                watcher.Offer(e.Line);
            }
        }
    }
}
