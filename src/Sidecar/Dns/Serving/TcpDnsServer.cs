using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Sidecar.Dns.Wire;
using Sidecar.Resilience;

namespace Sidecar.Dns.Serving;

/// <summary>
/// DNS over TCP (RFC 7766): length-prefixed messages, several queries per connection answered in order,
/// an idle timeout that shortens as connections fill up, and a cap on connections where a new one evicts
/// the connection idle the longest. Runs on the thread pool, apart from the UDP threads, so a slow or
/// hostile TCP client never delays UDP service.
/// </summary>
internal sealed partial class TcpDnsServer : IAsyncDisposable
{
    /// <summary>Connections served at once (RFC 7766 §6.2.2 lets servers limit them); beyond, the idlest goes.</summary>
    public const int MaxConnections = 100;
    /// <summary>RFC 7766 §6.2.3: servers close idle connections; seconds, not minutes, under load.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(10);
    /// <summary>The idle timeout when every slot is taken; a client between queries reconnects cheaply.</summary>
    public static readonly TimeSpan MinIdleTimeout = TimeSpan.FromSeconds(1);
    /// <summary>Below this occupancy the full idle timeout applies (Unbound and BIND also shorten only under load).</summary>
    public const double PressureThreshold = 0.5;
    /// <summary>At most one line per interval about evictions and refusals, with counts.</summary>
    public static readonly TimeSpan PressureReportInterval = TimeSpan.FromSeconds(10);

    private readonly Socket _listener;
    private readonly DnsResponder _responder;
    private readonly UpstreamForwarder? _forwarder;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly TcpDnsCounters _counters;
    private readonly ConnectionSlots _slots;
    private readonly ThrottledReport _pressure;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<ConnectionSlot, Task> _connections = new();
    private (long Evicted, long Refused, long TimedOut) _reported;
    private Task _acceptLoop = Task.CompletedTask;

    public TcpDnsServer(IPEndPoint address, DnsResponder responder, UpstreamForwarder? forwarder, TimeProvider timeProvider,
        ILogger logger, TcpDnsCounters? counters = null)
    {
        _responder = responder;
        _forwarder = forwarder;
        _timeProvider = timeProvider;
        _logger = logger;
        _counters = counters ?? new TcpDnsCounters();
        _slots = new ConnectionSlots(MaxConnections, timeProvider);
        _pressure = new ThrottledReport(PressureReportInterval, timeProvider, ReportPressure);
        _listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            _listener.Bind(address);
            _listener.Listen(512);
        }
        catch
        {
            _listener.Dispose();
            _pressure.Dispose();
            throw;
        }
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>
    /// The idle timeout for a connection armed at <paramref name="occupancy"/> (0–1): full up to
    /// <see cref="PressureThreshold"/>, then falling linearly to <see cref="MinIdleTimeout"/> when full.
    /// </summary>
    public static TimeSpan IdleTimeoutAt(double occupancy)
    {
        if (occupancy <= PressureThreshold)
        {
            return IdleTimeout;
        }
        var pressure = Math.Min(1, (occupancy - PressureThreshold) / (1 - PressureThreshold));
        return IdleTimeout - ((IdleTimeout - MinIdleTimeout) * pressure);
    }

    public void Start() => _acceptLoop = AcceptLoopAsync(_stopping.Token);

    private async Task AcceptLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (stopping.IsCancellationRequested && e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // E.g. EMFILE or a connection reset before accept: keep accepting.
                LogAcceptFailed(e.SocketErrorCode);
                continue;
            }
            var slot = _slots.TryTake(out var evicted);
            if (evicted is not null)
            {
                _counters.Evicted.Increment();
                _pressure.Signal();
            }
            if (slot is null)
            {
                _counters.Refused.Increment();
                _pressure.Signal();
                client.Dispose();
                continue;
            }
            _counters.Open.Increment();
            _connections[slot] = ServeAsync(client, slot, stopping);
        }
    }

    private async Task ServeAsync(Socket client, ConnectionSlot slot, CancellationToken stopping)
    {
        await Task.Yield();
        // Only the two-octet prefix is held while a connection idles; message buffers are rented per
        // query, so a thousand idle connections cost little memory.
        var prefix = new byte[2];
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(slot.Closing, stopping);
        try
        {
            client.NoDelay = true;
            while (true)
            {
                slot.CloseAfter(IdleTimeoutAt(_slots.Occupancy));
                if (!await TcpFraming.ReadExactlyAsync(client, prefix, linked.Token).ConfigureAwait(false))
                {
                    return;
                }
                var length = BinaryPrimitives.ReadUInt16BigEndian(prefix);
                if (length == 0 || !await AnswerOneAsync(client, slot, length, linked.Token).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            // Idle timeout, eviction or shutdown: closing is the answer.
            if (slot.TimedOut && !stopping.IsCancellationRequested)
            {
                _counters.TimedOut.Increment();
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            LogConnectionFailed(e.Message);
        }
        finally
        {
            client.Dispose();
            _slots.Release(slot);
            _counters.Open.Decrement();
            _connections.TryRemove(slot, out _);
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

    /// <summary>One line per interval: what pressure did since the last line.</summary>
    private void ReportPressure()
    {
        var now = (_counters.Evicted.Value, _counters.Refused.Value, _counters.TimedOut.Value);
        var (evicted, refused, timedOut) = (now.Item1 - _reported.Evicted, now.Item2 - _reported.Refused, now.Item3 - _reported.TimedOut);
        _reported = now;
        LogPressure(MaxConnections, evicted, refused, timedOut, PressureReportInterval.TotalSeconds);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        await Task.WhenAll(_connections.Values).ConfigureAwait(false);
        _pressure.Dispose();
        _stopping.Dispose();
    }
}
