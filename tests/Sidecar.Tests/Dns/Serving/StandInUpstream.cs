using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Sidecar.Dns.Wire;

namespace Sidecar.Tests.Dns.Serving;

/// <summary>
/// A stand-in upstream resolver on loopback that speaks real DNS over UDP and TCP: it answers every
/// question with one A record (192.0.2.99, documentation range) and a lower-cased question, as some
/// upstreams do; it can truncate over UDP or stay silent.
/// </summary>
internal sealed class StandInUpstream : IAsyncDisposable
{
    private readonly Socket _udp = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Socket _tcp = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _udpLoop;
    private readonly Task _tcpLoop;
    private int _udpQueries;
    private int _tcpQueries;

    public StandInUpstream(bool truncateUdp = false, bool silent = false)
    {
        _udp.Bind(new IPEndPoint(Sidecar.Tests.Support.FreePort.UniqueLoopback(), 0));
        _tcp.Bind(EndPoint);
        _tcp.Listen();
        _udpLoop = ServeUdpAsync(truncateUdp, silent);
        _tcpLoop = ServeTcpAsync();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_udp.LocalEndPoint!;

    public int UdpQueries => Volatile.Read(ref _udpQueries);

    public int TcpQueries => Volatile.Read(ref _tcpQueries);

    private async Task ServeUdpAsync(bool truncate, bool silent)
    {
        var buffer = new byte[65536];
        try
        {
            while (true)
            {
                var received = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                Interlocked.Increment(ref _udpQueries);
                if (!silent)
                {
                    await _udp.SendToAsync(Answer(buffer.AsSpan(0, received.ReceivedBytes), truncate), SocketFlags.None, received.RemoteEndPoint);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeTcpAsync()
    {
        try
        {
            while (true)
            {
                using var client = await _tcp.AcceptAsync(_stop.Token);
                var prefix = new byte[2];
                await Sidecar.Dns.Serving.TcpFraming.ReadExactlyAsync(client, prefix, _stop.Token);
                var query = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
                await Sidecar.Dns.Serving.TcpFraming.ReadExactlyAsync(client, query, _stop.Token);
                Interlocked.Increment(ref _tcpQueries);
                await client.SendAsync(DnsServerHarness.Frame(Answer(query, truncate: false)), SocketFlags.None);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private static byte[] Answer(ReadOnlySpan<byte> query, bool truncate)
    {
        var reader = new DnsReader(query);
        var name = new byte[DnsLimits.MaxNameLength];
        reader.ReadHeader(out var header);
        reader.ReadQuestion(name, out var question);
        var lower = new byte[question.NameLength];
        DnsName.ToLowerAscii(name.AsSpan(0, question.NameLength), lower);
        var response = new byte[512];
        var writer = new DnsWriter(response);
        var flags = (ushort)(DnsHeaderFlags.Response | DnsHeaderFlags.RecursionAvailable | header.Flags & DnsHeaderFlags.RecursionDesired
            | (truncate ? DnsHeaderFlags.Truncated : 0));
        writer.TryWriteHeader(new DnsHeader(header.Id, flags, 1, (ushort)(truncate ? 0 : 1), 0, 0));
        writer.TryWriteQuestion(lower, question.Type, question.Class);
        if (!truncate)
        {
            writer.TryWriteAddress(12, 60, [192, 0, 2, 99]);
        }
        return writer.Written.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        _tcp.Dispose();
        await Task.WhenAll(_udpLoop, _tcpLoop);
        _stop.Dispose();
    }
}
