using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Sidecar.Dns.Wire;

namespace Sidecar.Dns.Serving;

/// <summary>
/// Relays misses to the upstream servers (--dns-miss=forward): UDP first from a fresh socket (random source
/// port) with a random ID, TCP when the reply is truncated, the next server on timeout or error, starting
/// with the server that last answered. Returns 0 when every server failed; the caller answers SERVFAIL.
/// </summary>
internal sealed partial class UpstreamForwarder(IReadOnlyList<IPEndPoint> upstreams, TimeSpan timeout, TimeProvider timeProvider,
    ILogger logger, DnsCounters? counters = null)
{
    /// <summary>Per-server time for an attempt; glibc gives up after 5 s, so two servers fit in one client try.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2);

    private int _preferred;

    public IReadOnlyList<IPEndPoint> Upstreams { get; } = upstreams;

    /// <returns>Length of the client's response in <paramref name="response"/> (≥ 64 KiB), or 0 when all servers failed.</returns>
    public async Task<int> ForwardAsync(ReadOnlyMemory<byte> request, Memory<byte> response, bool overTcp, CancellationToken cancellationToken)
    {
        var limit = ClientLimit(request.Span, overTcp);
        var query = new byte[request.Length];
        var id = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1);
        if (Upstreams.Count == 0 || !ForwardedMessage.TryPrepareQuery(request.Span, query, id, out var questionLength))
        {
            counters?.UpstreamFailures.Increment();
            return 0;
        }
        counters?.Forwarded.Increment();
        var questionType = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(DnsLimits.HeaderLength + questionLength - DnsLimits.QuestionFixedLength));
        var first = Volatile.Read(ref _preferred);
        for (var attempt = 0; attempt < Upstreams.Count; attempt++)
        {
            var index = (first + attempt) % Upstreams.Count;
            var server = Upstreams[index];
            using var deadline = new CancellationTokenSource(timeout, timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
            try
            {
                var length = await ExchangeUdpAsync(server, query, questionLength, response, linked.Token).ConfigureAwait(false);
                if (length < 0)
                {
                    // RFC 7766 §5: a truncated UDP reply is retried over TCP.
                    length = await ExchangeTcpAsync(server, query, questionLength, response, linked.Token).ConfigureAwait(false);
                }
                if (length > 0)
                {
                    Volatile.Write(ref _preferred, index);
                    counters?.Queries.Record(questionType, response.Span[3] & DnsHeaderFlags.ResponseCodeMask);
                    return ForwardedMessage.Restore(response.Span, length, request.Span, questionLength, limit);
                }
                LogUpstreamBadReply(server);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                LogUpstreamTimeout(server, timeout.TotalMilliseconds);
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                LogUpstreamFailed(server, e.Message);
            }
        }
        LogAllUpstreamsFailed(Upstreams.Count);
        counters?.UpstreamFailures.Increment();
        counters?.Queries.Record(questionType, (int)DnsResponseCode.ServerFailure);
        return 0;
    }

    private static int ClientLimit(ReadOnlySpan<byte> request, bool overTcp)
    {
        Span<byte> name = stackalloc byte[DnsLimits.MaxNameLength];
        DnsRequest.Parse(request, name, out var parsed);
        return parsed.ResponseLimit(overTcp, DnsLimits.MaxMessageLength);
    }

    /// <returns>The reply length; -1 when it was truncated; replies that do not match are ignored until the deadline.</returns>
    private static async Task<int> ExchangeUdpAsync(IPEndPoint server, byte[] query, int questionLength, Memory<byte> response, CancellationToken cancellationToken)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
        await socket.SendAsync(query, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var length = await socket.ReceiveAsync(response, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            switch (ForwardedMessage.Check(response.Span[..length], query, questionLength))
            {
                case ForwardCheck.Valid:
                    return length;
                case ForwardCheck.Truncated:
                    return -1;
            }
        }
    }

    /// <summary>RFC 1035 §4.2.2: each message is preceded by its two-octet length.</summary>
    private static async Task<int> ExchangeTcpAsync(IPEndPoint server, byte[] query, int questionLength, Memory<byte> response, CancellationToken cancellationToken)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
        var framed = new byte[query.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
        query.CopyTo(framed, 2);
        await socket.SendAsync(framed, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        var prefix = new byte[2];
        if (!await TcpFraming.ReadExactlyAsync(socket, prefix, cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }
        var length = BinaryPrimitives.ReadUInt16BigEndian(prefix);
        if (length > response.Length || !await TcpFraming.ReadExactlyAsync(socket, response[..length], cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }
        return ForwardedMessage.Check(response.Span[..length], query, questionLength) == ForwardCheck.Valid ? length : 0;
    }
}
