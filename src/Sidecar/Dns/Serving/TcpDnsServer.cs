using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Sidecar.Dns.Wire;
using Sidecar.Resilience;

namespace Sidecar.Dns.Serving;

/// <summary>
/// DNS over TCP (RFC 7766): length-prefixed messages, several queries per connection answered in order,
/// an idle timeout that shortens as connections fill up, and a cap on connections where a new one evicts
/// the connection idle the longest (<see cref="BoundedAcceptLoop"/>). Runs on the thread pool, apart from the
/// UDP threads, so a slow or hostile TCP client never delays UDP service.
/// </summary>
internal sealed partial class TcpDnsServer : IAsyncDisposable
{
    /// <summary>
    /// Connections held at once (RFC 7766 §6.2.2 lets servers limit them); beyond, the idlest goes. An idle
    /// connection costs a socket and two bytes, so the cap is set by descriptors, not memory: high enough that
    /// a neighbour holding a thousand connections leaves the listen queue empty for everyone else.
    /// </summary>
    public const int MaxConnections = 2048;
    /// <summary>RFC 7766 §6.2.3: servers close idle connections; seconds, not minutes, under load.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(10);
    /// <summary>The idle timeout when every slot is taken; a client between queries reconnects cheaply.</summary>
    public static readonly TimeSpan MinIdleTimeout = TimeSpan.FromSeconds(1);
    /// <summary>At most one line per interval about evictions and refusals, with counts.</summary>
    public static readonly TimeSpan PressureReportInterval = TimeSpan.FromSeconds(10);

    private readonly DnsResponder _responder;
    private readonly UpstreamForwarder? _forwarder;
    private readonly ILogger _logger;
    private readonly BoundedAcceptLoop _loop;

    public TcpDnsServer(IPEndPoint address, DnsResponder responder, UpstreamForwarder? forwarder, TimeProvider timeProvider,
        ILogger logger, TcpDnsCounters? counters = null, int maxConnections = MaxConnections)
    {
        _responder = responder;
        _forwarder = forwarder;
        _logger = logger;
        var events = new AcceptLoopEvents(LogAcceptFailed, LogConnectionFailed,
            (evicted, refused, timedOut) => LogPressure(maxConnections, evicted, refused, timedOut, PressureReportInterval.TotalSeconds));
        _loop = new BoundedAcceptLoop(address, dualStack: false, maxConnections, PressureReportInterval, counters ?? new TcpDnsCounters(),
            events, ServeAsync, timeProvider);
    }

    public IPEndPoint LocalEndPoint => _loop.LocalEndPoint;

    /// <summary>
    /// The idle timeout for a connection armed at <paramref name="occupancy"/> (0–1): full up to
    /// <see cref="PressureTimeout.Threshold"/>, then falling linearly to <see cref="MinIdleTimeout"/> when full.
    /// </summary>
    public static TimeSpan IdleTimeoutAt(double occupancy) => PressureTimeout.At(IdleTimeout, MinIdleTimeout, occupancy);

    public void Start() => _loop.Start();

    private async Task ServeAsync(Socket client, ConnectionSlot slot)
    {
        // Only the two-octet prefix is held while a connection idles; message buffers are rented per
        // query, so a thousand idle connections cost little memory.
        var prefix = new byte[2];
        client.NoDelay = true;
        while (true)
        {
            slot.CloseAfter(IdleTimeoutAt(_loop.Occupancy));
            if (!await TcpFraming.ReadExactlyAsync(client, prefix, slot.Closing).ConfigureAwait(false))
            {
                return;
            }
            var length = BinaryPrimitives.ReadUInt16BigEndian(prefix);
            if (length == 0 || !await AnswerOneAsync(client, slot, length, slot.Closing).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <returns>False when the peer closed before the whole message arrived.</returns>
    private async ValueTask<bool> AnswerOneAsync(Socket client, ConnectionSlot slot, int length, CancellationToken cancellationToken)
    {
        var request = ArrayPool<byte>.Shared.Rent(length);
        byte[]? response = null;
        try
        {
            if (!await TcpFraming.ReadExactlyAsync(client, request.AsMemory(0, length), cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
            slot.Busy();
            response = ArrayPool<byte>.Shared.Rent(DnsLimits.MaxMessageLength + 2);
            var answer = await AnswerAsync(request.AsMemory(0, length), response.AsMemory(2, DnsLimits.MaxMessageLength), cancellationToken).ConfigureAwait(false);
            if (answer > 0)
            {
                BinaryPrimitives.WriteUInt16BigEndian(response, (ushort)answer);
                await client.SendAsync(response.AsMemory(0, answer + 2), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
            slot.Idle();
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(request);
            if (response is not null)
            {
                ArrayPool<byte>.Shared.Return(response);
            }
        }
    }

    private async ValueTask<int> AnswerAsync(ReadOnlyMemory<byte> request, Memory<byte> response, CancellationToken cancellationToken)
    {
        var result = _responder.Respond(request.Span, response.Span, overTcp: true);
        if (result.Outcome != DnsOutcome.Forward || _forwarder is null)
        {
            return result.Outcome == DnsOutcome.Reply ? result.Length : 0;
        }
        var length = await _forwarder.ForwardAsync(request, response, overTcp: true, cancellationToken).ConfigureAwait(false);
        return length > 0 ? length : _responder.RespondWithCode(request.Span, response.Span, overTcp: true, DnsResponseCode.ServerFailure).Length;
    }

    public ValueTask DisposeAsync() => _loop.DisposeAsync();
}
