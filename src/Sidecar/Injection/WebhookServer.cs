using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using Sidecar.Admin.Http;
using Sidecar.Resilience;

namespace Sidecar.Injection;

/// <summary>
/// The webhook's HTTPS endpoint (paths: <see cref="WebhookRoutes"/>): TLS (SslStream) over the bounded accept
/// loop and the admin server's strict head parser, with HTTP/1.1 keep-alive because the API server reuses its
/// connections (a handshake per admission would cost more than the admission). Every connection is bounded: a
/// deadline on the handshake and head, the body, the idle wait between requests, and a number of requests; at
/// most <see cref="MaxConnections"/> at once, the idlest evicted beyond. A slow or hostile client holds one slot.
/// </summary>
internal sealed partial class WebhookServer : IAsyncDisposable
{
    public const int MaxConnections = 1024;
    /// <summary>
    /// Requests on one connection before it is closed (nginx's keepalive_requests default): the last answer says
    /// <c>Connection: close</c>, so the client opens a new connection, which the Service may send to the other
    /// replica; without it, one long-lived connection would pin an API server to one replica for good.
    /// </summary>
    public const int MaxRequestsPerConnection = 1000;
    /// <summary>Handshake and request head together; the API server sends both at once.</summary>
    public static readonly TimeSpan HeadTimeout = TimeSpan.FromSeconds(10);
    /// <summary>The API server's own webhook timeout is at most 30 s (default 10 s).</summary>
    public static readonly TimeSpan BodyTimeout = TimeSpan.FromSeconds(10);
    /// <summary>
    /// How long a kept-alive connection may wait for its next request. Longer than the idle timeout of the API
    /// server's Go transport (90 s), so the client closes an idle connection first: a close by us could cross its
    /// next POST on the wire, which Go does not retry (not idempotent), failing one admission.
    /// </summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(120);
    /// <summary>Reading away a refused body before closing.</summary>
    public static readonly TimeSpan LingerTimeout = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan PressureReportInterval = TimeSpan.FromSeconds(10);

    private readonly ServingCertificate _certificate;
    private readonly ILogger _logger;
    private readonly BoundedAcceptLoop _loop;
    private readonly WebhookRoutes _routes;
    private readonly int _maxRequests;
    private bool _draining;

    public WebhookServer(IPEndPoint address, ServingCertificate certificate, AdmissionHandler handler, TimeProvider time, ILogger logger,
        int maxConnections = MaxConnections, int maxRequestsPerConnection = MaxRequestsPerConnection)
    {
        _certificate = certificate;
        _logger = logger;
        _maxRequests = maxRequestsPerConnection;
        var events = new AcceptLoopEvents(LogAcceptFailed, LogClientGone,
            (evicted, refused, timedOut) => LogPressure(maxConnections, evicted, refused, timedOut, PressureReportInterval.TotalSeconds));
        _loop = new BoundedAcceptLoop(address, dualStack: true, maxConnections, PressureReportInterval, Counters, events, ServeAsync, time);
        _routes = new WebhookRoutes(handler, certificate, () => _loop.IsAccepting, Counters, Admissions, logger);
    }

    public HttpConnectionCounters Counters { get; } = new();

    public InjectionCounters Admissions { get; } = new();

    public IPEndPoint LocalEndPoint => _loop.LocalEndPoint;

    public void Start() => _loop.Start();

    /// <summary>
    /// SIGTERM: stop accepting, close idle kept-alive connections, let requests being answered finish (their
    /// answers say <c>Connection: close</c>) for up to <paramref name="grace"/>, as Go's http.Server.Shutdown
    /// does. An admission in flight is answered rather than cut, which with failurePolicy Fail would fail a
    /// Pod's creation during a rollout of the webhook.
    /// </summary>
    public Task StopAsync(TimeSpan grace)
    {
        Volatile.Write(ref _draining, true);
        return _loop.DrainAsync(grace);
    }

    private async Task ServeAsync(Socket client, ConnectionSlot slot)
    {
        slot.CloseAfter(HeadTimeout);
        client.NoDelay = true; // an answer is one small write; never hold it back for the client's delayed ACK
        await using var tls = new SslStream(new NetworkStream(client, ownsSocket: false));
        if (!await HandshakeAsync(tls, slot.Closing).ConfigureAwait(false))
        {
            return;
        }
        byte[]? buffer = null;
        var received = 0;
        try
        {
            for (var served = 1; ; served++)
            {
                buffer ??= ArrayPool<byte>.Shared.Rent(HttpRequestParser.MaxHeadBytes);
                var (status, head, headLength, got) = await WebhookStreams.ReadHeadAsync(tls, buffer, received, slot.Closing).ConfigureAwait(false);
                if (got < 0)
                {
                    return; // closed before a whole head: nothing to answer
                }
                received = got;
                slot.Busy();
                slot.CloseAfter(BodyTimeout);
                if (served > 1)
                {
                    Admissions.ReusedConnectionRequests.Increment();
                }
                var (response, consumed) = await RespondAsync(tls, status, head, buffer, headLength, received, slot.Closing).ConfigureAwait(false);
                // Only a request read to its end leaves the connection usable; a refused body was not read.
                var keepAlive = consumed > 0 && head.KeepAlive && served < _maxRequests && !slot.Closing.IsCancellationRequested
                    && !Volatile.Read(ref _draining);
                await tls.WriteAsync(WebhookStreams.Serialize(response, keepAlive, withBody: !head.IsHead), slot.Closing).ConfigureAwait(false);
                if (!keepAlive)
                {
                    if (response.Status == 413)
                    {
                        await WebhookStreams.LingerAsync(tls, buffer, slot, LingerTimeout).ConfigureAwait(false);
                    }
                    return;
                }
                // Bytes beyond this request are the start of the next (pipelined, RFC 9112 §9.3.2).
                received -= consumed;
                buffer.AsSpan(consumed, received).CopyTo(buffer);
                slot.Idle();
                slot.CloseAfter(IdleTimeout);
                if (received == 0)
                {
                    // Idle: hold no buffer while waiting (a zero-byte read completes when data arrives).
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                    if (!await WebhookStreams.WaitForRequestAsync(tls, slot.Closing).ConfigureAwait(false))
                    {
                        return;
                    }
                }
                slot.CloseAfter(HeadTimeout);
            }
        }
        catch (IOException e)
        {
            LogClientGone(e.Message); // a client gone mid-request: its own connection only
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private async Task<bool> HandshakeAsync(SslStream tls, CancellationToken closing)
    {
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = _certificate.Current,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
            }, closing).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is IOException or AuthenticationException)
        {
            // Not TLS, no common version or cipher, or closed midway: counted, and only this connection ends.
            Admissions.TlsHandshakeFailures.Increment();
            LogHandshakeFailed(e.Message);
            return false;
        }
    }

    /// <returns>The response, and how many bytes of <paramref name="buffer"/> the request used (0: its body
    /// was not read, so the connection must close).</returns>
    private async Task<(HttpResponse, int)> RespondAsync(Stream tls, HttpParseStatus status, HttpRequestHead head, byte[] buffer,
        int headLength, int received, CancellationToken cancellationToken)
    {
        // The strict parser has checked there is exactly one Content-Length of digits only and no Transfer-Encoding.
        var length = status == HttpParseStatus.BodyNotAccepted ? ContentLength.Read(buffer.AsSpan(0, headLength)) : 0;
        if (_routes.AnswerWithoutBody(status, head, length) is { } answer)
        {
            return (answer, status == HttpParseStatus.Ok ? headLength : 0);
        }
        var size = (int)length;
        var body = ArrayPool<byte>.Shared.Rent(Math.Max(size, 1));
        try
        {
            var have = Math.Min(received - headLength, size);
            buffer.AsSpan(headLength, have).CopyTo(body);
            await tls.ReadExactlyAsync(body.AsMemory(have, size - have), cancellationToken).ConfigureAwait(false);
            return (_routes.Admit(head, body.AsSpan(0, size)), headLength + have);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body);
        }
    }

    public ValueTask DisposeAsync() => _loop.DisposeAsync();
}
