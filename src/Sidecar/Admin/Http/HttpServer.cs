using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Sidecar.Resilience;

namespace Sidecar.Admin.Http;

/// <summary>
/// A minimal strict HTTP/1.1 server over a plain socket for a few read-only endpoints: one async accept
/// loop (no thread per connection), at most <see cref="MaxConnections"/> connections where a new one
/// evicts the connection idle the longest (<see cref="BoundedAcceptLoop"/>), the whole request head within
/// <see cref="HeadTimeout"/> (shorter under pressure) and <see cref="HttpRequestParser.MaxHeadBytes"/>, no
/// bodies, one response per connection. It needs no files, so it also serves from an empty root (HttpListener
/// did not), and it has bounds HttpListener lacks on Linux.
/// </summary>
internal sealed partial class HttpServer : IAsyncDisposable
{
    /// <summary>
    /// Connections held at once; beyond, the idlest is evicted. Probes and a scraper need a handful, but a
    /// connection that has sent little costs a socket and a small buffer, and every connection held is one
    /// fewer in the kernel's listen queue, where a full queue drops the next probe's SYN for a second.
    /// </summary>
    public const int MaxConnections = 8192;
    /// <summary>The whole request head, not per read, so a byte a second cannot hold a slot (slowloris).</summary>
    public static readonly TimeSpan HeadTimeout = TimeSpan.FromSeconds(5);
    /// <summary>The head timeout when every slot is taken; a probe sends its head at once.</summary>
    public static readonly TimeSpan MinHeadTimeout = TimeSpan.FromSeconds(1);
    /// <summary>Writing one response to a client that does not read.</summary>
    public static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(10);
    /// <summary>Reading what a client sent beyond its head before closing, so it gets our answer, not a reset.</summary>
    public static readonly TimeSpan LingerTimeout = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan PressureReportInterval = TimeSpan.FromSeconds(10);
    /// <summary>The first buffer of a connection with bytes to read; a probe's head (~150 bytes) fits, a longer one grows it.</summary>
    private const int FirstBufferBytes = 512;
    private const int MaxLingerBytes = 64 * 1024;

    private readonly Func<HttpRequestHead, bool, HttpResponse> _handler;
    private readonly ILogger _logger;
    private readonly BoundedAcceptLoop _loop;

    /// <param name="handler">Answers a well-formed GET or HEAD; the flag says the client is on loopback.</param>
    public HttpServer(IPEndPoint address, Func<HttpRequestHead, bool, HttpResponse> handler, TimeProvider timeProvider,
        ILogger logger, HttpConnectionCounters? counters = null, int maxConnections = MaxConnections)
    {
        _handler = handler;
        _logger = logger;
        var events = new AcceptLoopEvents(LogAcceptFailed, LogClientGone,
            (evicted, refused, timedOut) => LogPressure(maxConnections, evicted, refused, timedOut, PressureReportInterval.TotalSeconds));
        _loop = new BoundedAcceptLoop(address, dualStack: true, maxConnections, PressureReportInterval, counters ?? new HttpConnectionCounters(),
            events, ServeAsync, timeProvider);
    }

    public IPEndPoint LocalEndPoint => _loop.LocalEndPoint;

    /// <summary>The head timeout for a connection accepted at <paramref name="occupancy"/> (0–1).</summary>
    public static TimeSpan HeadTimeoutAt(double occupancy) => PressureTimeout.At(HeadTimeout, MinHeadTimeout, occupancy);

    public void Start() => _loop.Start();

    private async Task ServeAsync(Socket client, ConnectionSlot slot)
    {
        slot.CloseAfter(HeadTimeoutAt(_loop.Occupancy));
        // No buffer until the client has sent something: a zero-byte receive waits for data without taking
        // it, so thousands of connections that connect and wait cost a socket each, not a buffer each.
        await client.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, slot.Closing).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(FirstBufferBytes);
        try
        {
            var received = 0;
            HttpParseStatus status;
            HttpRequestHead head;
            int headLength;
            while ((status = HttpRequestParser.Parse(buffer.AsSpan(0, received), out head, out headLength)) == HttpParseStatus.Incomplete)
            {
                if (received == buffer.Length)
                {
                    buffer = Grow(buffer, received); // below MaxHeadBytes, or Parse would have said HeadTooLarge
                }
                var limit = Math.Min(buffer.Length, HttpRequestParser.MaxHeadBytes);
                var n = await client.ReceiveAsync(buffer.AsMemory(received, limit - received), SocketFlags.None, slot.Closing).ConfigureAwait(false);
                if (n == 0)
                {
                    return; // closed before a whole head: nothing to answer
                }
                received += n;
            }
            slot.Busy();
            slot.CloseAfter(WriteTimeout);
            var response = Respond(status, head, client);
            await client.SendAsync(response.Head(), SocketFlags.None, slot.Closing).ConfigureAwait(false);
            if (!head.IsHead || status != HttpParseStatus.Ok)
            {
                await client.SendAsync(response.Body, SocketFlags.None, slot.Closing).ConfigureAwait(false);
            }
            if (received > headLength || status != HttpParseStatus.Ok)
            {
                slot.CloseAfter(LingerTimeout);
                await LingerAsync(client, buffer, slot.Closing).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Twice the size (at most <see cref="HttpRequestParser.MaxHeadBytes"/>), keeping what was received.</summary>
    private static byte[] Grow(byte[] buffer, int received)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, HttpRequestParser.MaxHeadBytes));
        buffer.AsSpan(0, received).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(buffer);
        return bigger;
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

    public ValueTask DisposeAsync() => _loop.DisposeAsync();
}
