using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using Sidecar.Endpoints;

namespace Sidecar.Tunnels.Frpc;

/// <summary>
/// One frpc process for one frp server, holding all of that server's visitors. Visitor changes rewrite the
/// config file and call <c>/api/reload</c>, so unchanged visitors keep their connections; the process is
/// restarted with backoff when it exits, independently of every other server's frpc.
/// </summary>
internal sealed partial class FrpcSupervisor : IAsyncDisposable
{
    /// <summary>Consecutive quick exits from which on the log calls it a crash loop.</summary>
    private const int CrashLoopAttempts = 3;

    private readonly FrpsTarget _server;
    private readonly string _name;
    private readonly string _configName;
    private readonly FrpcOptions _options;
    private readonly ChildProcessRegistry _registry;
    private readonly FrpcAdminClient _admin;
    private readonly TunnelCounters _counters;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action _visitorListening;
    private readonly FrpcAdminCredentials _credentials = FrpcAdminCredentials.CreateRandom();
    private readonly ConcurrentDictionary<Tunnel, FrpcVisitor> _visitors = new();
    // Serialises config writes, reloads and process (re)starts.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private int _nextVisitorId;
    private Process? _process;
    private int _adminPort;
    private volatile bool _healthy;
    private Task _run = Task.CompletedTask;
    private Task _probe = Task.CompletedTask;
    // Said once until the cause goes away: a missing frpc binary, an unusable state directory.
    private volatile bool _missingLogged;
    private bool _stateDirLogged;

    public FrpcSupervisor(FrpsTarget server, string name, FrpcOptions options, ChildProcessRegistry registry,
        FrpcAdminClient admin, TunnelCounters counters, TimeProvider time, ILogger logger, Action? visitorListening = null)
    {
        _server = server;
        _name = name;
        _configName = ChildProcessRegistry.ConfigName(name);
        _options = options;
        _registry = registry;
        _admin = admin;
        _counters = counters;
        _time = time;
        _logger = logger;
        _visitorListening = visitorListening ?? (static () => { });
    }

    public FrpsTarget Server => _server;

    public bool IsEmpty => _visitors.IsEmpty;

    public void Start()
    {
        _run = RunAsync(_stopping.Token);
        _probe = ProbeAsync(_stopping.Token);
    }

    public TunnelState? GetState(Tunnel tunnel) => _visitors.TryGetValue(tunnel, out var v) ? v.State : null;

    /// <summary>Adds and removes visitors; one config write and one reload for the whole batch.</summary>
    public async Task ApplyAsync(IEnumerable<Tunnel> add, IEnumerable<Tunnel> remove, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var changed = false;
            foreach (var tunnel in remove)
            {
                changed |= _visitors.TryRemove(tunnel, out _);
            }
            foreach (var tunnel in add)
            {
                if (_visitors.ContainsKey(tunnel))
                {
                    continue;
                }
                var endpoint = tunnel.Endpoint;
                var name = $"{endpoint.Service}-{endpoint.Port}-{++_nextVisitorId}";
                var visitor = new FrpcVisitor(tunnel, name) { State = _missingLogged || _stateDirLogged ? TunnelState.Failed : TunnelState.Starting };
                _visitors[tunnel] = visitor;
                if (_missingLogged)
                {
                    // frpc is known to be missing: say so for this tunnel now, not at the next retry.
                    visitor.MissingFrpcReported = true;
                    LogFrpcMissing(_options.FrpcPath, tunnel.ToString());
                }
                changed = true;
            }
            if (!changed || _process is null || _registry.Directory is not { } directory)
            {
                // Not running: the next start writes the file with the current visitors.
                return;
            }
            if (WriteConfig(directory, _adminPort) && _healthy)
            {
                await ReloadAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <returns>False when the file could not be written (logged; the visitors are marked failed).</returns>
    private bool WriteConfig(StateDirectory directory, int adminPort)
    {
        var config = FrpcConfigRenderer.Build(_server, _credentials, adminPort, _visitors.Values.OrderBy(v => v.Name, StringComparer.Ordinal));
        try
        {
            directory.WriteAtomic(_configName, FrpcConfigRenderer.Render(config));
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogConfigWriteFailed(directory.PathOf(_configName), _server.ToString(), e.Message);
            SetAll(TunnelState.Failed);
            return false;
        }
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var status = await _admin.ReloadAsync(_adminPort, _credentials, cancellationToken).ConfigureAwait(false);
        if (status == HttpStatusCode.OK)
        {
            LogReloaded(_server.ToString(), _visitors.Count);
        }
        else if (status is null)
        {
            // Probably exiting: the restart reads the new file anyway.
            LogReloadUnreachable(_server.ToString());
        }
        else
        {
            LogReloadRejected(_server.ToString(), (int)status);
        }
    }

    private void SetAll(TunnelState state)
    {
        foreach (var visitor in _visitors.Values)
        {
            visitor.State = state;
        }
    }

    private async Task ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_options.ProbeInterval, _time, cancellationToken).ConfigureAwait(false);
                if (!_healthy)
                {
                    continue;
                }
                foreach (var visitor in _visitors.Values)
                {
                    // Probed only until it first answers: each probe through a visitor opens a work
                    // connection to the remote service, which must not see a stream of empty connections.
                    if (visitor.State != TunnelState.Starting)
                    {
                        continue;
                    }
                    var endPoint = visitor.Tunnel.LocalEndPoint;
                    var listening = visitor.IsUdp
                        ? ListenProbe.IsUdpBound(endPoint)
                        : await ListenProbe.IsTcpListeningAsync(endPoint, cancellationToken).ConfigureAwait(false);
                    if (listening && _healthy && visitor.State == TunnelState.Starting)
                    {
                        visitor.State = TunnelState.Listening;
                        LogVisitorListening(visitor.Tunnel.ToString());
                        _visitorListening();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
