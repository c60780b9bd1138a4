using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Sidecar.Tunnels.Forwarding;

/// <summary>
/// A tunnel whose local side is a TCP listener: binds it, accepts until stopped, holds at most
/// <see cref="ForwarderOptions.MaxConnections"/> connections (a new one over the cap is reset at once) and
/// hands each accepted connection to <see cref="HandleAsync"/>. The tcp forwarder and the native stcp
/// visitor differ only in what they connect an accepted client to.
/// </summary>
internal abstract class TcpListenerTunnel(Tunnel tunnel, ForwarderOptions options, TunnelCounters counters, TimeProvider time, ILogger logger)
    : Forwarder(tunnel, options, counters, time, logger)
{
    /// <summary>How long accepting pauses when the process is out of descriptors or buffers.</summary>
    private static readonly TimeSpan AcceptPause = TimeSpan.FromMilliseconds(200);

    private int _active;
    private bool _capLogged;

    /// <summary>Connections open now (accepted and not yet closed).</summary>
    public int ActiveConnections => Volatile.Read(ref _active);

    protected sealed override Socket Bind() => BindLocal(SocketType.Stream);

    /// <summary>Serves one accepted client until it is done; must not throw. The client is its to dispose.</summary>
    protected abstract Task HandleAsync(Socket client, CancellationToken cancellationToken);

    protected sealed override async Task ServeAsync(Socket listener, CancellationToken cancellationToken)
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
            _ = ServeClientAsync(client, cancellationToken);
        }
    }

    private async Task ServeClientAsync(Socket client, CancellationToken cancellationToken)
    {
        try
        {
            await HandleAsync(client, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _active);
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
}
