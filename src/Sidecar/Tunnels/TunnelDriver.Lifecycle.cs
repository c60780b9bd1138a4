using Microsoft.Extensions.Logging;
using Sidecar.Endpoints;
using Sidecar.Tunnels.Forwarding;
using Sidecar.Tunnels.Frpc;
using Sidecar.Tunnels.Native;

namespace Sidecar.Tunnels;

internal sealed partial class TunnelDriver
{
    /// <summary>Open tunnels by state, for the <c>sidecar_tunnels</c> gauge.</summary>
    public IReadOnlyDictionary<TunnelState, int> CountByState()
    {
        List<Tunnel> tunnels;
        Dictionary<TunnelState, int> counts = [];
        lock (_lock)
        {
            tunnels = [.. _forwarders.Keys, .. _visitorOwners.Keys, .. _notOpened.Keys];
        }
        foreach (var tunnel in tunnels)
        {
            var state = GetState(tunnel);
            counts[state] = counts.GetValueOrDefault(state) + 1;
        }
        return counts;
    }

    private void RaiseTunnelListening() => TunnelListening?.Invoke();

    private bool IsOpen(Tunnel tunnel)
    {
        lock (_lock)
        {
            return _forwarders.ContainsKey(tunnel) || _visitorOwners.ContainsKey(tunnel) || _notOpened.ContainsKey(tunnel);
        }
    }

    private void OpenForwarder(Tunnel tunnel)
    {
        if (tunnel.Endpoint.RemotePort is not (> 0 and <= 65535))
        {
            NotOpened(tunnel, TunnelState.Failed, "the proxy has no remotePort to forward to");
            return;
        }
        Forwarder forwarder = tunnel.Endpoint.IsUdp
            ? new UdpForwarder(tunnel, _forwarderOptions, Counters, _time, _loggerFactory.CreateLogger<UdpForwarder>())
            : new TcpForwarder(tunnel, _forwarderOptions, Counters, _time, _loggerFactory.CreateLogger<TcpForwarder>());
        lock (_lock)
        {
            _forwarders[tunnel] = forwarder;
        }
        forwarder.Start(RaiseTunnelListening);
    }

    /// <summary>An in-process visitor for the tunnel, dialling <paramref name="proxyName"/> (the tunnel's own proxy or its stcp twin).</summary>
    private void OpenNative(NativeVisitorHost native, Tunnel tunnel, string proxyName, string? secretKey)
    {
        var visitor = native.Open(tunnel, proxyName, secretKey);
        lock (_lock)
        {
            _forwarders[tunnel] = visitor;
        }
        visitor.Start(RaiseTunnelListening); // known to GetState before it can say it listens
    }

    private bool FrpcFound() => FrpcLocator.Resolve(_frpcOptions.FrpcPath, Environment.GetEnvironmentVariable("PATH")) is not null;

    private FrpcSupervisor GetOrStartSupervisor(FrpsTarget server)
    {
        lock (_lock)
        {
            if (_supervisors.TryGetValue(server, out var existing))
            {
                return existing;
            }
            // A changed host, port or token is another FrpsTarget: a new frpc, the old one stops with its last visitor.
            var supervisor = new FrpcSupervisor(server, $"frpc-{++_nextSupervisorId}", _frpcOptions, _registry, _admin,
                Counters, _time, _loggerFactory.CreateLogger<FrpcSupervisor>(), RaiseTunnelListening);
            _supervisors[server] = supervisor;
            supervisor.Start();
            return supervisor;
        }
    }

    /// <summary>
    /// Older operators publish stcp/sudp/xtcp proxies without a secretKey: the visitor then signs with an
    /// empty key, which frps accepts only when the proxy has none either — anyone reaching frps could visit
    /// it. It is opened anyway (it works), but said once per proxy.
    /// </summary>
    private void WarnIfKeyless(Endpoint endpoint)
    {
        if (string.IsNullOrEmpty(endpoint.SecretKey) && _keylessWarned.Add((endpoint.Server, endpoint.ProxyName)))
        {
            LogNoSecretKey(endpoint.Traits.Name, endpoint.ProxyName, endpoint.Service, endpoint.Server.ToString());
        }
    }

    private void NotOpened(Tunnel tunnel, TunnelState state, string reason)
    {
        lock (_lock)
        {
            _notOpened[tunnel] = state;
            // Once per endpoint for the sidecar's lifetime: the reconciler may offer it again on every change.
            if (!_explained.Add(tunnel.Endpoint.Key))
            {
                return;
            }
        }
        LogNotTunnelled(tunnel.ToString(), reason);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }
        // Let a batch in flight finish, so what it opens is stopped below; past the grace period, go anyway.
        var batchHeld = false;
        try
        {
            await _batch.WaitAsync(cancellationToken).ConfigureAwait(false);
            batchHeld = true;
        }
        catch (OperationCanceledException)
        {
        }
        List<Forwarder> forwarders;
        List<FrpcSupervisor> supervisors;
        lock (_lock)
        {
            forwarders = [.. _forwarders.Values];
            supervisors = [.. _supervisors.Values];
            _forwarders.Clear();
            _supervisors.Clear();
            _visitorOwners.Clear();
        }
        // All children get SIGTERM at once, so the grace period is shared, not spent one by one; an frpc that
        // ignores it is SIGKILLed at a fraction of the grace, leaving the rest to the components stopped
        // after us (the admin endpoint), so the whole shutdown ends within the grace.
        using var killTimer = new CancellationTokenSource(_closeGrace * ChildGraceFraction, _time);
        using var kill = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, killTimer.Token);
        await Task.WhenAll(
            forwarders.Select(f => f.StopAsync())
                .Concat(supervisors.Select(s => s.StopAsync(kill.Token)))).ConfigureAwait(false);
        foreach (var supervisor in supervisors)
        {
            await supervisor.DisposeAsync().ConfigureAwait(false);
        }
        if (_native is not null)
        {
            await _native.DisposeAsync().ConfigureAwait(false);
        }
        if (batchHeld)
        {
            _batch.Release();
        }
        LogStopped(forwarders.Count, supervisors.Count);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _registry.Dispose();
        _admin.Dispose();
        // _batch is not disposed: a batch that outlived the grace period may still release it (a
        // SemaphoreSlim without a wait handle holds nothing to free).
    }
}
