using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Sidecar.Tunnels.Forwarding;

/// <summary>
/// Receives datagrams on the tunnel's local address and relays each client flow through its own upstream
/// socket; flows idle for <see cref="ForwarderOptions.UdpIdleTimeout"/> are closed. The receive path uses
/// the SocketAddress overloads, which allocate nothing per datagram once a flow exists.
/// </summary>
internal sealed class UdpForwarder(Tunnel tunnel, ForwarderOptions options, TunnelCounters counters, TimeProvider time, ILogger logger)
    : Forwarder(tunnel, options, counters, time, logger)
{
    /// <summary>The largest UDP payload (65,535 minus the 8-byte UDP header, RFC 768).</summary>
    public const int MaxDatagram = 65_527;

    private readonly Dictionary<SocketAddress, UdpFlow> _flows = [];
    private bool _capLogged;

    public int FlowCount
    {
        get
        {
            lock (_flows)
            {
                return _flows.Count;
            }
        }
    }

    protected override Socket Bind() => BindLocal(SocketType.Dgram);

    protected override async Task ServeAsync(Socket listener, CancellationToken cancellationToken)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(MaxDatagram);
        var from = new SocketAddress(listener.AddressFamily);
        // Stopped with the listener too, not only at shutdown: a failed listener is bound again with fresh flows.
        using var sweepStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sweeper = SweepAsync(sweepStop.Token);
        try
        {
            while (true)
            {
                // No token: closing the listener ends the receive, and a token registration per datagram would allocate.
                var read = await listener.ReceiveFromAsync(buffer.AsMemory(), SocketFlags.None, from).ConfigureAwait(false);
                UdpFlow? flow;
                lock (_flows)
                {
                    _flows.TryGetValue(from, out flow);
                }
                flow ??= await CreateFlowAsync(listener, from, cancellationToken).ConfigureAwait(false);
                if (flow is null)
                {
                    continue;
                }
                flow.Touch(Time.GetTimestamp());
                try
                {
                    await flow.Upstream.SendAsync(buffer.AsMemory(0, read), SocketFlags.None).ConfigureAwait(false);
                    Counters.BytesUp(read);
                }
                catch (SocketException)
                {
                    // A datagram lost on the way is what UDP promises anyway.
                }
            }
        }
        finally
        {
            await sweepStop.CancelAsync().ConfigureAwait(false);
            CloseAll();
            await sweeper.ConfigureAwait(false);
        }
    }

    private async Task<UdpFlow?> CreateFlowAsync(Socket listener, SocketAddress from, CancellationToken cancellationToken)
    {
        if (FlowCount >= Options.MaxUdpFlows)
        {
            Counters.ConnectionRejected();
            if (!_capLogged)
            {
                _capLogged = true;
                LogAtCap(Tunnel.ToString(), Options.MaxUdpFlows);
            }
            return null;
        }
        _capLogged = false;
        Socket? upstream = null;
        try
        {
            var target = await Upstream.ResolveAsync(cancellationToken).ConfigureAwait(false);
            upstream = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            upstream.Connect(target);
        }
        catch (SocketException e)
        {
            upstream?.Dispose();
            Counters.UpstreamConnectFailed();
            LogUpstreamFailed(Tunnel.ToString(), Upstream.ToString(), e.Message);
            return null;
        }
        // The receive address object is reused for every datagram: the flow keeps its own copy.
        var client = new SocketAddress(from.Family, from.Size);
        from.Buffer.Span[..from.Size].CopyTo(client.Buffer.Span);
        var flow = new UdpFlow(client, upstream, Time.GetTimestamp());
        lock (_flows)
        {
            _flows[client] = flow;
        }
        Counters.ConnectionForwarded();
        _ = flow.RelayRepliesAsync(listener, Time, Counters);
        return flow;
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        var interval = Options.UdpIdleTimeout / 4;
        try
        {
            while (true)
            {
                await Task.Delay(interval, Time, cancellationToken).ConfigureAwait(false);
                lock (_flows)
                {
                    foreach (var (client, flow) in _flows)
                    {
                        if (Time.GetElapsedTime(flow.LastActive) >= Options.UdpIdleTimeout)
                        {
                            _flows.Remove(client);
                            flow.Dispose();
                            Counters.ForwardedConnectionClosed();
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    protected override void CloseAll()
    {
        lock (_flows)
        {
            foreach (var flow in _flows.Values)
            {
                flow.Dispose();
                Counters.ForwardedConnectionClosed();
            }
            _flows.Clear();
        }
    }
}
