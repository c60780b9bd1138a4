using System.Collections.Concurrent;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Sidecar.Tunnels.Forwarding;
using Sidecar.Tunnels.Native.Metrics;
using Sidecar.Tunnels.Native.Session;

namespace Sidecar.Tunnels.Native.Visitors;

/// <summary>
/// A native stcp visitor: the tunnel's local TCP listener, where each accepted connection becomes one
/// visitor stream on the frp server's shared session. The listener stays bound while frps is away; a
/// connection arriving then waits (bounded) for the session and is reset with one log line if none comes.
/// Binding, accepting within the cap, rebinding and stopping are shared with the tcp forwarder
/// (<see cref="TcpListenerTunnel"/>).
/// </summary>
internal sealed partial class StcpVisitor(
    Tunnel tunnel, FrpVisitorTarget target, FrpSession session, NativeVisitorOptions visitorOptions,
    ForwarderOptions options, TunnelCounters counters, TimeProvider time, ILogger logger)
    : TcpListenerTunnel(tunnel, options, counters, time, logger)
{
    private readonly ConcurrentDictionary<Socket, byte> _clients = new();
    private readonly ILogger _logger = logger;
    private string? _lastFailure;

    protected override async Task HandleAsync(Socket client, CancellationToken cancellationToken)
    {
        _clients[client] = 0;
        VisitorLeg? leg = null;
        try
        {
            client.NoDelay = true;
            try
            {
                leg = await FrpVisitorConnector.OpenAsync(session, target, visitorOptions.SessionWait, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Counters.UpstreamConnectFailed();
                session.Counters.VisitorFailed(VisitorFailureLabels.Classify(e));
                var reason = e.Message;
                // One line per change of reason: a wrong secret is said once, not once per connection.
                if (reason != Interlocked.Exchange(ref _lastFailure, reason))
                {
                    LogVisitorFailed(Tunnel.Endpoint.Service, target.ProxyName, session.Server.ToString(), reason);
                }
                client.LingerState = new LingerOption(true, 0);
                return;
            }
            Volatile.Write(ref _lastFailure, null);
            Counters.ConnectionForwarded();
            try
            {
                // A read of the application never exceeds one frame: a full buffer is one frame, not one and a sliver.
                var bufferSize = Math.Min(Options.BufferSize, session.Options.Yamux.MaxFramePayload);
                await new StreamRelay(client, leg, bufferSize, Counters).RunAsync().ConfigureAwait(false);
            }
            finally
            {
                Counters.ForwardedConnectionClosed();
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
        }
        finally
        {
            _clients.TryRemove(client, out _);
            client.Dispose();
            if (leg is not null)
            {
                await leg.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    protected override void CloseAll()
    {
        foreach (var client in _clients.Keys)
        {
            try
            {
                client.LingerState = new LingerOption(true, 0);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // The connection ended by itself meanwhile and disposed its socket: nothing left to reset.
            }
            client.Dispose();
        }
    }

    [LoggerMessage(TunnelEventIds.StcpVisitorFailed, LogLevel.Warning, "Service {Service}: stcp visitor for proxy {Proxy} at frp server {Server} failed: {Reason}")]
    private partial void LogVisitorFailed(string service, string proxy, string server, string reason);
}
