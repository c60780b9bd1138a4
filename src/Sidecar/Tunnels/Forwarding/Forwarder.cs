using Sidecar.Resilience;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Sidecar.Tunnels.Forwarding;

/// <summary>
/// A local listener for one tcp/udp tunnel that forwards to frps's remote port. Binding is retried with
/// backoff, so a port in use fails only this tunnel, and only until the port is free.
/// </summary>
internal abstract partial class Forwarder : IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task _run = Task.CompletedTask;
    private volatile Socket? _listener;
    private volatile TunnelState _state = TunnelState.Starting;
    private Action? _listening;

    protected Forwarder(Tunnel tunnel, ForwarderOptions options, TunnelCounters counters, TimeProvider time, ILogger logger)
    {
        Tunnel = tunnel;
        Options = options;
        Counters = counters;
        Time = time;
        _logger = logger;
        Upstream = new UpstreamTarget(tunnel.Endpoint.Server.Host, tunnel.Endpoint.RemotePort ?? 0);
    }

    public Tunnel Tunnel { get; }

    public TunnelState State => _state;

    protected ForwarderOptions Options { get; }

    protected TunnelCounters Counters { get; }

    protected TimeProvider Time { get; }

    protected UpstreamTarget Upstream { get; }

    /// <param name="listening">Called each time the listener is bound, after <see cref="State"/> says so.</param>
    public void Start(Action? listening = null)
    {
        _listening = listening;
        _run = RunAsync(_stopping.Token);
    }

    /// <summary>Creates the listening socket; throws <see cref="SocketException"/> when it cannot bind.</summary>
    protected abstract Socket Bind();

    /// <summary>A socket of <paramref name="type"/> bound to the tunnel's local end point (and listening, for a stream).</summary>
    protected Socket BindLocal(SocketType type)
    {
        var socket = new Socket(Tunnel.LocalAddress.AddressFamily, type, type == SocketType.Stream ? ProtocolType.Tcp : ProtocolType.Udp);
        try
        {
            socket.Bind(Tunnel.LocalEndPoint);
            if (type == SocketType.Stream)
            {
                socket.Listen(Options.ListenBacklog);
            }
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Serves until the listener is closed.</summary>
    protected abstract Task ServeAsync(Socket listener, CancellationToken cancellationToken);

    /// <summary>Closes every open connection or flow.</summary>
    protected abstract void CloseAll();

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var attempt = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                Socket listener;
                try
                {
                    listener = Bind();
                }
                catch (SocketException e)
                {
                    _state = TunnelState.Failed;
                    var delay = Backoff.Delay(attempt++, Options.BindRetryInitial, Options.BindRetryMax);
                    LogBindFailed(Tunnel.ToString(), e.SocketErrorCode.ToString(), delay.TotalSeconds);
                    await Task.Delay(delay, Time, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                attempt = 0;
                _listener = listener;
                _state = TunnelState.Listening;
                LogListening(Tunnel.ToString(), Upstream.ToString());
                _listening?.Invoke();
                try
                {
                    await ServeAsync(listener, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException && !cancellationToken.IsCancellationRequested)
                {
                    _state = TunnelState.Failed;
                    var delay = Backoff.Delay(attempt++, Options.BindRetryInitial, Options.BindRetryMax);
                    LogServeFailed(Tunnel.ToString(), e.Message, delay.TotalSeconds);
                    listener.Dispose();
                    await Task.Delay(delay, Time, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    _listener = null;
                    listener.Dispose();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException && cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Closes the listener and every connection; in-flight data is abandoned.</summary>
    public async Task StopAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            await _run.ConfigureAwait(false);
            return;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        CloseAll();
        await _run.ConfigureAwait(false);
        _state = TunnelState.Failed;
        LogClosed(Tunnel.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
