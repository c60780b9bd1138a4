using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Sidecar.Resilience;

namespace Sidecar.Admin.Http;

/// <summary>
/// A minimal strict HTTP/1.1 server over a plain socket for a few read-only endpoints: one async accept
/// loop (no thread per connection), at most <see cref="MaxConnections"/> connections where a new one
/// evicts the connection idle the longest, the whole request head within <see cref="HeadTimeout"/> and
/// <see cref="HttpRequestParser.MaxHeadBytes"/>, no bodies, one response per connection. It needs no files,
/// so it also serves from an empty root (HttpListener did not), and it has bounds HttpListener lacks on Linux.
/// </summary>
internal sealed partial class HttpServer : IAsyncDisposable
{
    /// <summary>Probes and a scraper need a handful; the rest are evicted, oldest first.</summary>
    public const int MaxConnections = 64;
    /// <summary>The whole request head, not per read, so a byte a second cannot hold a slot (slowloris).</summary>
    public static readonly TimeSpan HeadTimeout = TimeSpan.FromSeconds(5);
    /// <summary>Writing one response to a client that does not read.</summary>
    public static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(10);
    /// <summary>Reading what a client sent beyond its head before closing, so it gets our answer, not a reset.</summary>
    public static readonly TimeSpan LingerTimeout = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan PressureReportInterval = TimeSpan.FromSeconds(10);
    private const int MaxLingerBytes = 64 * 1024;

    private readonly Socket _listener;
    private readonly Func<HttpRequestHead, bool, HttpResponse> _handler;
    private readonly ILogger _logger;
    private readonly HttpConnectionCounters _counters;
    private readonly ConnectionSlots _slots;
    private readonly ThrottledReport _pressure;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<ConnectionSlot, Task> _connections = new();
    private (long Evicted, long Refused, long TimedOut) _reported;
    private Task _acceptLoop = Task.CompletedTask;

    /// <param name="handler">Answers a well-formed GET or HEAD; the flag says the client is on loopback.</param>
    public HttpServer(IPEndPoint address, Func<HttpRequestHead, bool, HttpResponse> handler, TimeProvider timeProvider,
        ILogger logger, HttpConnectionCounters? counters = null)
    {
        _handler = handler;
        _logger = logger;
        _counters = counters ?? new HttpConnectionCounters();
        _slots = new ConnectionSlots(MaxConnections, timeProvider);
        _pressure = new ThrottledReport(PressureReportInterval, timeProvider, ReportPressure);
        _listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.Address.Equals(IPAddress.IPv6Any))
            {
                _listener.DualMode = true; // [::] serves IPv4 clients too, as 0.0.0.0 would
            }
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
                LogAcceptFailed(e.SocketErrorCode); // e.g. EMFILE: keep accepting
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
            slot.CloseAfter(HeadTimeout);
            _connections[slot] = ServeAsync(client, slot, stopping);
        }
    }

    private async Task ServeAsync(Socket client, ConnectionSlot slot, CancellationToken stopping)
    {
        await Task.Yield(); // off the accept loop
        var buffer = ArrayPool<byte>.Shared.Rent(HttpRequestParser.MaxHeadBytes);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(slot.Closing, stopping);
        try
        {
            var received = 0;
            HttpParseStatus status;
            HttpRequestHead head;
            int headLength;
            while ((status = HttpRequestParser.Parse(buffer.AsSpan(0, received), out head, out headLength)) == HttpParseStatus.Incomplete)
            {
                var n = await client.ReceiveAsync(buffer.AsMemory(received, HttpRequestParser.MaxHeadBytes - received), SocketFlags.None, linked.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    return; // closed before a whole head: nothing to answer
                }
                received += n;
            }
            slot.Busy();
            slot.CloseAfter(WriteTimeout);
            var response = Respond(status, head, client);
            await client.SendAsync(response.Head(), SocketFlags.None, linked.Token).ConfigureAwait(false);
            if (!head.IsHead || status != HttpParseStatus.Ok)
            {
                await client.SendAsync(response.Body, SocketFlags.None, linked.Token).ConfigureAwait(false);
            }
            if (received > headLength || status != HttpParseStatus.Ok)
            {
                slot.CloseAfter(LingerTimeout);
                await LingerAsync(client, buffer, linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            if (slot.TimedOut && !stopping.IsCancellationRequested)
            {
                _counters.TimedOut.Increment();
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            LogClientGone(e.Message);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            client.Dispose();
            _slots.Release(slot);
            _counters.Open.Decrement();
            _connections.TryRemove(slot, out _);
        }
    }

    private HttpResponse Respond(HttpParseStatus status, HttpRequestHead head, Socket client) => status switch
    {
        HttpParseStatus.HeadTooLarge => HttpResponse.Text(431, $"request head over {HttpRequestParser.MaxHeadBytes} bytes\n"),
        HttpParseStatus.VersionNotSupported => HttpResponse.Text(505, "HTTP/1.1 or HTTP/1.0 only\n"),
        HttpParseStatus.BadRequest => HttpResponse.Text(400, "malformed request\n"),
        _ when !head.IsReadOnly => HttpResponse.Text(405, "method not allowed\n", allow: "GET, HEAD"),
        HttpParseStatus.BodyNotAccepted => HttpResponse.Text(413, "these endpoints take no request body\n"),
        _ => Handle(head, IsLoopback(client.LocalEndPoint) && IsLoopback(client.RemoteEndPoint)),
    };

    private HttpResponse Handle(HttpRequestHead head, bool loopback)
    {
        try
        {
            return _handler(head, loopback);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogHandlerFailed(head.Path, e); // a bug in one endpoint answers 500 and leaves the server serving
            return HttpResponse.Text(500, "internal error\n");
        }
    }

    /// <summary>Half-closes, then discards what the client still sends (bounded), so the close is not a reset.</summary>
    private static async Task LingerAsync(Socket client, byte[] buffer, CancellationToken cancellationToken)
    {
        client.Shutdown(SocketShutdown.Send);
        for (var drained = 0; drained < MaxLingerBytes;)
        {
            var n = await client.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return;
            }
            drained += n;
        }
    }

    private static bool IsLoopback(EndPoint? endPoint) => endPoint is IPEndPoint ip
        && IPAddress.IsLoopback(ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address);

    private void ReportPressure()
    {
        var now = (_counters.Evicted.Value, _counters.Refused.Value, _counters.TimedOut.Value);
        var (evicted, refused, timedOut) = (now.Item1 - _reported.Evicted, now.Item2 - _reported.Refused, now.Item3 - _reported.TimedOut);
        _reported = now;
        LogPressure(MaxConnections, evicted, refused, timedOut, PressureReportInterval.TotalSeconds);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }
        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        await Task.WhenAll(_connections.Values).ConfigureAwait(false);
        _pressure.Dispose();
    }
}
