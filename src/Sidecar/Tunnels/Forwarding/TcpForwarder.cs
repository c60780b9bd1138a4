using System.Collections.Concurrent;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Sidecar.Tunnels.Forwarding;

/// <summary>Listens on the tunnel's local address and relays each connection to frps host:remotePort.</summary>
internal sealed class TcpForwarder(Tunnel tunnel, ForwarderOptions options, TunnelCounters counters, TimeProvider time, ILogger logger)
    : TcpListenerTunnel(tunnel, options, counters, time, logger)
{
    private readonly ConcurrentDictionary<TcpRelay, byte> _relays = new();

    protected override async Task HandleAsync(Socket client, CancellationToken cancellationToken)
    {
        var upstream = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            client.NoDelay = true;
            upstream.NoDelay = true;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(Options.ConnectTimeout);
                try
                {
                    var target = await Upstream.ResolveAsync(timeout.Token).ConfigureAwait(false);
                    await upstream.ConnectAsync(target, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is SocketException || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    Counters.UpstreamConnectFailed();
                    LogUpstreamFailed(Tunnel.ToString(), Upstream.ToString(), e is OperationCanceledException ? "connect timed out" : e.Message);
                    client.LingerState = new LingerOption(true, 0);
                    return;
                }
            }
            Counters.ConnectionForwarded();
            var relay = new TcpRelay(client, upstream, Options.BufferSize, Counters);
            _relays[relay] = 0;
            // Closed while connecting: CloseAll may have missed this relay.
            if (cancellationToken.IsCancellationRequested)
            {
                relay.Abort();
            }
            try
            {
                await relay.RunAsync().ConfigureAwait(false);
            }
            finally
            {
                _relays.TryRemove(relay, out _);
                Counters.ForwardedConnectionClosed();
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            client.Dispose();
            upstream.Dispose();
        }
    }

    protected override void CloseAll()
    {
        foreach (var relay in _relays.Keys)
        {
            relay.Abort();
        }
    }
}
