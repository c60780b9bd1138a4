using Microsoft.Extensions.Logging;
using Sidecar.Configuration;
using Sidecar.Endpoints;
using Sidecar.Hosting;
using Sidecar.Tunnels.Forwarding;
using Sidecar.Tunnels.Frpc;
using Sidecar.Tunnels.Native;

namespace Sidecar.Tunnels;

/// <summary>
/// Opens tunnels by proxy type: stcp/sudp as native visitors (or, with the frpc engine, visitors of one
/// supervised frpc per frp server), xtcp as frpc visitors (natively through an stcp twin when there is no frpc),
/// tcp/udp through our own forwarder to frps host:remotePort, and http/https/tcpmux not at all (reported as
/// <see cref="TunnelState.Unsupported"/>). One tunnel's failure never touches another's.
/// </summary>
internal sealed partial class TunnelDriver : ITunnelDriver, IComponent
{
    /// <summary>Share of the shutdown grace an frpc gets between SIGTERM and SIGKILL.</summary>
    private const double ChildGraceFraction = 0.5;

    private readonly FrpcOptions _frpcOptions;
    private readonly ForwarderOptions _forwarderOptions;
    private readonly TimeSpan _closeGrace;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ChildProcessRegistry _registry;
    private readonly FrpcAdminClient _admin = new();
    // Open and Close batches run one at a time; the maps below are also read by GetState under _lock.
    private readonly SemaphoreSlim _batch = new(1, 1);
    private readonly Lock _lock = new();
    private readonly Dictionary<Tunnel, Forwarder> _forwarders = [];
    private readonly Dictionary<FrpsTarget, FrpcSupervisor> _supervisors = [];
    private readonly Dictionary<Tunnel, FrpcSupervisor> _visitorOwners = [];
    private readonly Dictionary<Tunnel, TunnelState> _notOpened = [];
    private readonly HashSet<EndpointKey> _explained = [];
    // Proxies already warned about for a missing secretKey; only OpenAsync (one batch at a time) uses it.
    private readonly HashSet<(FrpsTarget Server, string ProxyName)> _keylessWarned = [];
    private int _nextSupervisorId;
    // 1 once StopAsync began: later batches open nothing.
    private int _stopped;
    // Set with --tunnel-engine=native: stcp/sudp become in-process visitors, kept in _forwarders like forwarders.
    private NativeVisitorHost? _native;

    public TunnelDriver(FrpcOptions frpcOptions, ForwarderOptions forwarderOptions, TimeSpan closeGrace,
        ILoggerFactory loggerFactory, TimeProvider time, TunnelCounters? counters = null)
    {
        Counters = counters ?? new TunnelCounters();
        Counters.CountStatesWith(CountByState);
        _frpcOptions = frpcOptions;
        _forwarderOptions = forwarderOptions;
        _closeGrace = closeGrace;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<TunnelDriver>();
        _time = time;
        _registry = new ChildProcessRegistry(new StateDirectoryLocation(frpcOptions.StateDir), frpcOptions.FrpcPath,
            loggerFactory.CreateLogger<ChildProcessRegistry>());
    }

    public static TunnelDriver Create(Settings settings, ILoggerFactory loggerFactory, TimeProvider time,
        TunnelCounters? counters = null)
    {
        var driver = new TunnelDriver(new FrpcOptions(settings.StateDir, settings.FrpcPath), new ForwarderOptions(), settings.ShutdownGrace,
            loggerFactory, time, counters);
        if (settings.TunnelEngine == TunnelEngine.Native)
        {
            driver.UseNativeVisitors(
                new Native.Session.FrpSessionOptions { TrustedCaFile = settings.FrpsTlsCaFile, TlsServerName = settings.FrpsTlsServerName },
                new Native.Visitors.NativeVisitorOptions { UseEncryption = settings.VisitorUseEncryption, UseCompression = settings.VisitorUseCompression });
        }
        return driver;
    }

    /// <summary>Serve stcp/sudp with in-process visitors instead of frpc (xtcp stays on frpc).</summary>
    public void UseNativeVisitors(Native.Session.FrpSessionOptions sessionOptions, Native.Visitors.NativeVisitorOptions visitorOptions) =>
        _native = new NativeVisitorHost(sessionOptions, visitorOptions, _forwarderOptions, Counters, _time, _loggerFactory);

    public string Name => "tunnels";

    public TunnelCounters Counters { get; }

    public event Action? TunnelListening;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Prepares the state directory and stops frpc children a SIGKILLed predecessor left behind. An unsafe
        // directory (it would hand our secrets to another user) stops the start; one that is only
        // unavailable (locked by another sidecar, cannot be created) fails the visitors, which retry.
        // With native visitors frpc is only needed for xtcp: the directory is then opened (and checked, and
        // leftovers reaped) by the first frpc's supervisor, so a sidecar without xtcp never touches it.
        if (_native is not null)
        {
            return Task.CompletedTask;
        }
        try
        {
            _registry.Open();
        }
        catch (StateDirectoryException e) when (e.IsUnsafe)
        {
            throw new StartupException(e.Message, e);
        }
        catch (StateDirectoryException e)
        {
            LogStateDirUnavailable(e.Message);
        }
        return Task.CompletedTask;
    }

    public async ValueTask OpenAsync(IReadOnlyList<Tunnel> tunnels, CancellationToken cancellationToken)
    {
        await _batch.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref _stopped) != 0)
            {
                // Shutting down: nothing opened now would be stopped again.
                return;
            }
            var visitors = new Dictionary<FrpsTarget, List<Tunnel>>();
            foreach (var tunnel in tunnels)
            {
                if (IsOpen(tunnel))
                {
                    continue;
                }
                switch (tunnel.Endpoint.Traits)
                {
                    case { Tunnel: TunnelKind.Forwarder }:
                        OpenForwarder(tunnel);
                        break;
                    case { Tunnel: TunnelKind.Visitor, NativeVisitor: true } when _native is not null:
                        WarnIfKeyless(tunnel.Endpoint);
                        OpenNative(_native, tunnel, tunnel.Endpoint.ProxyName, tunnel.Endpoint.SecretKey);
                        break;
                    case { Tunnel: TunnelKind.Visitor } when _native is not null && tunnel.Endpoint.FallbackProxyName is { } twin && !FrpcFound():
                        // No frpc for hole punching (the default image ships none): the stcp twin frpc would fall
                        // back to anyway, natively, rather than a tunnel that cannot open.
                        LogXtcpViaStcpTwin(tunnel.ToString(), _frpcOptions.FrpcPath, twin);
                        OpenNative(_native, tunnel, twin, tunnel.Endpoint.FallbackSecretKey);
                        break;
                    case { Tunnel: TunnelKind.Visitor }:
                        WarnIfKeyless(tunnel.Endpoint);
                        (visitors.TryGetValue(tunnel.Endpoint.Server, out var list) ? list : visitors[tunnel.Endpoint.Server] = []).Add(tunnel);
                        break;
                    default:
                        NotOpened(tunnel, TunnelState.Unsupported,
                            $"frp has no visitor for {tunnel.Endpoint.Traits.Name} proxies and they are served by frps's own HTTP(S)/tcpmux port, not a remote port; use {ProxyTypeTraits.Supported}");
                        break;
                }
            }
            foreach (var (server, added) in visitors)
            {
                var supervisor = GetOrStartSupervisor(server);
                lock (_lock)
                {
                    foreach (var tunnel in added)
                    {
                        _visitorOwners[tunnel] = supervisor;
                    }
                }
                await supervisor.ApplyAsync(added, [], cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _batch.Release();
        }
    }

    public async ValueTask CloseAsync(IReadOnlyList<Tunnel> tunnels, CancellationToken cancellationToken)
    {
        await _batch.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var forwarders = new List<Forwarder>();
            var visitors = new Dictionary<FrpcSupervisor, List<Tunnel>>();
            lock (_lock)
            {
                foreach (var tunnel in tunnels)
                {
                    _notOpened.Remove(tunnel);
                    if (_forwarders.Remove(tunnel, out var forwarder))
                    {
                        forwarders.Add(forwarder);
                    }
                    else if (_visitorOwners.Remove(tunnel, out var owner))
                    {
                        (visitors.TryGetValue(owner, out var list) ? list : visitors[owner] = []).Add(tunnel);
                    }
                }
            }
            await Task.WhenAll(forwarders.Select(f => f.DisposeAsync().AsTask())).ConfigureAwait(false);
            if (_native is not null)
            {
                foreach (var forwarder in forwarders)
                {
                    await _native.ReleaseAsync(forwarder.Tunnel).ConfigureAwait(false);
                }
            }
            foreach (var (supervisor, removed) in visitors)
            {
                await supervisor.ApplyAsync([], removed, cancellationToken).ConfigureAwait(false);
                if (supervisor.IsEmpty)
                {
                    // The last visitor of a server is gone: so is its frpc (and its login at frps).
                    lock (_lock)
                    {
                        _supervisors.Remove(supervisor.Server);
                    }
                    using var grace = new CancellationTokenSource(_closeGrace, _time);
                    await supervisor.StopAsync(grace.Token).ConfigureAwait(false);
                    await supervisor.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _batch.Release();
        }
    }

    public TunnelState GetState(Tunnel tunnel)
    {
        lock (_lock)
        {
            if (_forwarders.TryGetValue(tunnel, out var forwarder))
            {
                return forwarder.State;
            }
            if (_visitorOwners.TryGetValue(tunnel, out var owner))
            {
                return owner.GetState(tunnel) ?? TunnelState.Starting;
            }
            // Never opened, or closed: nothing accepts connections for it.
            return _notOpened.TryGetValue(tunnel, out var state) ? state : TunnelState.Failed;
        }
    }
}
