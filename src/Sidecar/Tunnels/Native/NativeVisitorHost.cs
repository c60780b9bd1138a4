using Microsoft.Extensions.Logging;
using Sidecar.Endpoints;
using Sidecar.Tunnels.Forwarding;
using Sidecar.Tunnels.Native.Session;
using Sidecar.Tunnels.Native.Visitors;

namespace Sidecar.Tunnels.Native;

/// <summary>
/// The native engine's side of the tunnel driver: one <see cref="FrpSession"/> per frp server, shared by its
/// stcp/sudp visitors and ended with the last of them. A changed host, port or token is another
/// <see cref="FrpsTarget"/>, so it gets its own session, as it got its own frpc (metrics stay per resource:
/// <see cref="Metrics.NativeCounters"/>). Called under the driver's
/// batch lock only; the session map needs no lock of its own beyond the one for <see cref="SessionCount"/>.
/// </summary>
internal sealed class NativeVisitorHost(
    FrpSessionOptions sessionOptions, NativeVisitorOptions visitorOptions, ForwarderOptions forwarderOptions,
    TunnelCounters counters, TimeProvider time, ILoggerFactory loggerFactory) : IAsyncDisposable
{
    private readonly Dictionary<FrpsTarget, (FrpSession Session, int Users)> _sessions = [];
    private readonly Dictionary<Tunnel, FrpsTarget> _owners = [];
    private readonly Lock _lock = new();

    public int SessionCount
    {
        get
        {
            lock (_lock)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>A visitor for the tunnel, not yet started; the caller owns it like any forwarder.</summary>
    public Forwarder Open(Tunnel tunnel) => Open(tunnel, tunnel.Endpoint.ProxyName, tunnel.Endpoint.SecretKey);

    /// <summary>
    /// A visitor listening for the tunnel but dialling <paramref name="proxyName"/> with its secret: the tunnel's
    /// own proxy, or for an xtcp tunnel its stcp twin.
    /// </summary>
    public Forwarder Open(Tunnel tunnel, string proxyName, string? secretKey)
    {
        var server = tunnel.Endpoint.Server;
        FrpSession session;
        lock (_lock)
        {
            if (_sessions.TryGetValue(server, out var entry))
            {
                session = entry.Session;
                _sessions[server] = (session, entry.Users + 1);
            }
            else
            {
                session = new FrpSession(server, sessionOptions, time, loggerFactory.CreateLogger<FrpSession>(), counters.Native.Acquire(server.Resource));
                _sessions[server] = (session, 1);
                session.Start();
            }
            _owners[tunnel] = server;
        }
        var target = new FrpVisitorTarget(proxyName, secretKey ?? "",
            visitorOptions.UseEncryption, visitorOptions.UseCompression);
        Forwarder visitor = tunnel.Endpoint.IsUdp
            ? new SudpVisitor(tunnel, target, session, visitorOptions, forwarderOptions, counters, time, loggerFactory.CreateLogger<SudpVisitor>())
            : new StcpVisitor(tunnel, target, session, visitorOptions, forwarderOptions, counters, time, loggerFactory.CreateLogger<StcpVisitor>());
        return visitor;
    }

    /// <summary>The tunnel's visitor was stopped: end its server's session if it was the last user.</summary>
    public async ValueTask ReleaseAsync(Tunnel tunnel)
    {
        FrpSession? last = null;
        lock (_lock)
        {
            if (!_owners.Remove(tunnel, out var server) || !_sessions.TryGetValue(server, out var entry))
            {
                return;
            }
            if (entry.Users <= 1)
            {
                _sessions.Remove(server);
                last = entry.Session;
            }
            else
            {
                _sessions[server] = (entry.Session, entry.Users - 1);
            }
        }
        if (last is not null)
        {
            await last.DisposeAsync().ConfigureAwait(false);
            counters.Native.Release(last.Server.Resource);
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<FrpSession> sessions;
        lock (_lock)
        {
            sessions = [.. _sessions.Values.Select(e => e.Session)];
            _sessions.Clear();
            _owners.Clear();
        }
        foreach (var session in sessions)
        {
            await session.DisposeAsync().ConfigureAwait(false);
            counters.Native.Release(session.Server.Resource);
        }
    }
}
