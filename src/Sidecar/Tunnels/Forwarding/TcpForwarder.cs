using System.Collections.Concurrent;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Sidecar.Tunnels.Forwarding;

/// <summary>Listens on the tunnel's local address and relays each connection to frps host:remotePort.</summary>
internal sealed class TcpForwarder(Tunnel tunnel, ForwarderOptions options, TunnelCounters counters, TimeProvider time, ILogger logger)
    : Forwarder(tunnel, options, counters, time, logger)
{
    /// <summary>How long accepting pauses when the process is out of descriptors or buffers.</summary>
    private static readonly TimeSpan AcceptPause = TimeSpan.FromMilliseconds(200);

    private readonly ConcurrentDictionary<TcpRelay, byte> _relays = new();
    private int _active;
    private bool _capLogged;

    /// <summary>Connections open now (accepted and not yet closed).</summary>
    public int ActiveConnections => Volatile.Read(ref _active);

    protected override Socket Bind()
    {
        var socket = new Socket(Tunnel.LocalAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(Tunnel.LocalEndPoint);
            socket.Listen(Options.ListenBacklog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    protected override async Task ServeAsync(Socket listener, CancellationToken cancellationToken)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionAborted or SocketError.ConnectionReset)
            {
                // The client gave up before we accepted: nothing to serve.
                continue;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable)
            {
                // Out of descriptors or memory: the listener is fine, retrying at once would only spin.
                LogAcceptPaused(Tunnel.ToString(), e.SocketErrorCode.ToString());
                await Task.Delay(AcceptPause, Time, cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (Interlocked.Increment(ref _active) > Options.MaxConnections)
            {
                Interlocked.Decrement(ref _active);
                Reject(client);
                continue;
            }
            _capLogged = false;
            _ = HandleAsync(client, cancellationToken);
        }
    }

    private void Reject(Socket client)
    {
        Counters.ConnectionRejected();
        if (!_capLogged)
        {
            _capLogged = true;
            LogAtCap(Tunnel.ToString(), Options.MaxConnections);
        }
        // A reset tells the client at once, instead of a hang until its own timeout.
        client.LingerState = new LingerOption(true, 0);
        client.Dispose();
    }

    private async Task HandleAsync(Socket client, CancellationToken cancellationToken)
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
            Interlocked.Decrement(ref _active);
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
