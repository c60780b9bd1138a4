using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Sidecar.Tunnels.Forwarding;
using Sidecar.Tunnels.Native.Metrics;
using Sidecar.Tunnels.Native.Session;
using Sidecar.Tunnels.Native.Wire;

namespace Sidecar.Tunnels.Native.Visitors;

/// <summary>
/// A native sudp visitor (frp v0.61 client/visitor/sudp.go): the tunnel's local UDP socket, and one visitor
/// stream carrying UDPPacket messages both ways. Each message names the application's address, so replies
/// go back to the right client; only clients seen within the idle timeout get replies (a flow table capped
/// like the udp forwarder's), so frps cannot make us send to arbitrary addresses. The stream is opened on
/// the first datagram and reopened after it fails or stays silent past frpc's 60 s read deadline.
/// </summary>
internal sealed partial class SudpVisitor(
    Tunnel tunnel, FrpVisitorTarget target, FrpSession session, NativeVisitorOptions visitorOptions,
    ForwarderOptions options, TunnelCounters counters, TimeProvider time, ILogger logger)
    : Forwarder(tunnel, options, counters, time, logger)
{
    private readonly ILogger _logger = logger;
    private readonly SudpFlowTable _flows = new(options.MaxUdpFlows, options.UdpIdleTimeout, time);
    private readonly Channel<UdpPacketMessage> _outbound = Channel.CreateBounded<UdpPacketMessage>(
        new BoundedChannelOptions(visitorOptions.SudpQueue) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private string? _lastFailure;

    /// <summary>
    /// The largest datagram whose UDPPacket (base64 plus JSON) stays under frp's 10,240-byte message limit;
    /// frps would end the stream on a bigger one. frpc itself reads at most udpPacketSize (1500) bytes.
    /// </summary>
    public const int MaxDatagram = (FrpMessageCodec.MaxBodyLength - 256) / 4 * 3;

    public int Flows => _flows.Count;

    protected override Socket Bind() => BindLocal(SocketType.Dgram);

    protected override async Task ServeAsync(Socket listener, CancellationToken cancellationToken)
    {
        using var serving = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sender = Task.Run(() => SendLoopAsync(listener, serving.Token), CancellationToken.None);
        try
        {
            var buffer = new byte[UdpForwarder.MaxDatagram];
            EndPoint any = new IPEndPoint(Tunnel.LocalAddress.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
            while (true)
            {
                var received = await listener.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
                var client = (IPEndPoint)received.RemoteEndPoint;
                if (received.ReceivedBytes > MaxDatagram || !_flows.Touch(client))
                {
                    Counters.ConnectionRejected();
                    continue;
                }
                var packet = new UdpPacketMessage
                {
                    Content = Convert.ToBase64String(buffer, 0, received.ReceivedBytes),
                    RemoteAddr = new UdpAddressJson { IP = client.Address.ToString(), Port = client.Port },
                };
                if (_outbound.Writer.TryWrite(packet))
                {
                    Counters.BytesUp(received.ReceivedBytes);
                }
            }
        }
        finally
        {
            await serving.CancelAsync().ConfigureAwait(false);
            await sender.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Waits for a datagram, opens the stream if there is none, and writes datagrams while it lasts.</summary>
    private async Task SendLoopAsync(Socket listener, CancellationToken cancellationToken)
    {
        while (await _outbound.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            VisitorLeg leg;
            try
            {
                leg = await FrpVisitorConnector.OpenAsync(session, target, visitorOptions.SessionWait, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Counters.UpstreamConnectFailed();
                session.Counters.VisitorFailed(VisitorFailureLabels.Classify(e));
                if (e.Message != Interlocked.Exchange(ref _lastFailure, e.Message))
                {
                    LogVisitorFailed(Tunnel.Endpoint.Service, target.ProxyName, session.Server.ToString(), e.Message);
                }
                // Datagrams queued meanwhile are stale; UDP applications retry.
                while (_outbound.Reader.TryRead(out _))
                {
                }
                continue;
            }
            Volatile.Write(ref _lastFailure, null);
            await using (leg.ConfigureAwait(false))
            {
                using var legDone = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var receiver = ReceiveLoopAsync(leg, listener, legDone);
                try
                {
                    while (await _outbound.Reader.WaitToReadAsync(legDone.Token).ConfigureAwait(false))
                    {
                        while (_outbound.Reader.TryRead(out var packet))
                        {
                            await leg.Data.WriteAsync(FrpMessageCodec.Encode(FrpMessageType.UdpPacket, packet,
                                FrpWireJsonContext.Default.UdpPacketMessage), legDone.Token).ConfigureAwait(false);
                        }
                    }
                }
                catch (Exception e) when (e is IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    // The stream ended; the next datagram opens a new one.
                }
                await legDone.CancelAsync().ConfigureAwait(false);
                await receiver.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task ReceiveLoopAsync(VisitorLeg leg, Socket listener, CancellationTokenSource legDone)
    {
        try
        {
            while (true)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(legDone.Token);
                idle.CancelAfter(visitorOptions.SudpReadIdle);
                if (await FrpMessageCodec.ReadAsync(leg.Data, idle.Token).ConfigureAwait(false) is not { } frame)
                {
                    return;
                }
                if (frame.Type != FrpMessageType.UdpPacket)
                {
                    // Ping from the proxy side keeps the stream alive (sudp.go); nothing else is expected.
                    continue;
                }
                var packet = FrpMessageCodec.Decode(frame, FrpMessageType.UdpPacket, FrpWireJsonContext.Default.UdpPacketMessage);
                if (packet.RemoteAddr is not { } addr || !IPAddress.TryParse(addr.IP, out var ip) || addr.Port is <= 0 or > 65535)
                {
                    continue;
                }
                var client = new IPEndPoint(ip, addr.Port);
                if (!_flows.IsKnown(client) || packet.Content is null)
                {
                    continue;
                }
                var data = Convert.FromBase64String(packet.Content);
                await listener.SendToAsync(data, SocketFlags.None, client).ConfigureAwait(false);
                Counters.BytesDown(data.Length);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or FrpProtocolException or FormatException or SocketException or InvalidDataException)
        {
            // Fall through: the leg is done.
        }
        finally
        {
            await legDone.CancelAsync().ConfigureAwait(false);
        }
    }

    protected override void CloseAll() => _flows.Clear();

    [LoggerMessage(TunnelEventIds.SudpVisitorFailed, LogLevel.Warning, "Service {Service}: sudp visitor for proxy {Proxy} at frp server {Server} failed: {Reason}")]
    private partial void LogVisitorFailed(string service, string proxy, string server, string reason);
}
