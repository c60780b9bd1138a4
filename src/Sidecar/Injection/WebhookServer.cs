using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Microsoft.Extensions.Logging;
using Sidecar.Admin.Http;
using Sidecar.Resilience;

namespace Sidecar.Injection;

/// <summary>
/// The webhook's HTTPS endpoint: <c>POST /mutate</c> (Pods that opt in), <c>POST /mutate-namespace</c> (Pods of
/// namespaces labelled <c>sidecar.kubeinfra.io/inject=enabled</c>, which opt out), <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c>.
/// TLS (SslStream) over the admin server's bounded accept loop and strict head parser; one request per
/// connection; the body bounded by <see cref="AdmissionHandler.MaxBodyBytes"/> (413 beyond) and the whole
/// exchange by deadlines, so a slow or hostile client holds one slot, never the others.
/// </summary>
internal sealed partial class WebhookServer : IAsyncDisposable
{
    public const int MaxConnections = 1024;
    /// <summary>Handshake and request head together; the API server sends both at once.</summary>
    public static readonly TimeSpan HeadTimeout = TimeSpan.FromSeconds(10);
    /// <summary>The API server's own webhook timeout is at most 30 s (default 10 s).</summary>
    public static readonly TimeSpan BodyTimeout = TimeSpan.FromSeconds(10);
    /// <summary>Reading away a refused body before closing.</summary>
    public static readonly TimeSpan LingerTimeout = TimeSpan.FromSeconds(2);
    private const long MaxLingerBytes = 4L * AdmissionHandler.MaxBodyBytes;
    public static readonly TimeSpan PressureReportInterval = TimeSpan.FromSeconds(10);

    private readonly ServingCertificate _certificate;
    private readonly AdmissionHandler _handler;
    private readonly ILogger _logger;
    private readonly BoundedAcceptLoop _loop;

    public WebhookServer(IPEndPoint address, ServingCertificate certificate, AdmissionHandler handler, TimeProvider time, ILogger logger,
        int maxConnections = MaxConnections)
    {
        _certificate = certificate;
        _handler = handler;
        _logger = logger;
        var events = new AcceptLoopEvents(LogAcceptFailed, LogClientGone,
            (evicted, refused, timedOut) => LogPressure(maxConnections, evicted, refused, timedOut, PressureReportInterval.TotalSeconds));
        _loop = new BoundedAcceptLoop(address, dualStack: true, maxConnections, PressureReportInterval, Counters, events, ServeAsync, time);
    }

    public HttpConnectionCounters Counters { get; } = new();

    public InjectionCounters Admissions { get; } = new();

    public IPEndPoint LocalEndPoint => _loop.LocalEndPoint;

    public void Start() => _loop.Start();

    private async Task ServeAsync(Socket client, ConnectionSlot slot)
    {
        slot.CloseAfter(HeadTimeout);
        var buffer = ArrayPool<byte>.Shared.Rent(HttpRequestParser.MaxHeadBytes);
        try
        {
            await using var tls = new SslStream(new NetworkStream(client, ownsSocket: false));
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = _certificate.Current,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
            }, slot.Closing).ConfigureAwait(false);

            var (status, head, headLength, received) = await ReadHeadAsync(tls, buffer, slot.Closing).ConfigureAwait(false);
            if (received < 0)
            {
                return; // closed before a whole head: nothing to answer
            }
            slot.Busy();
            slot.CloseAfter(BodyTimeout);
            var response = await RespondAsync(tls, status, head, buffer, headLength, received, slot.Closing).ConfigureAwait(false);
            // Every response closes the connection (HttpResponse.Head says so), so no close_notify wait.
            await tls.WriteAsync(response.Head(), slot.Closing).ConfigureAwait(false);
            await tls.WriteAsync(response.Body, slot.Closing).ConfigureAwait(false);
            if (response.Status == 413)
            {
                // The client is still sending the body it declared: read it away (bounded in bytes and time) so
                // it gets our answer rather than a reset.
                slot.CloseAfter(LingerTimeout);
                for (var drained = 0L; drained < MaxLingerBytes;)
                {
                    var n = await tls.ReadAsync(buffer, slot.Closing).ConfigureAwait(false);
                    if (n == 0)
                    {
                        break;
                    }
                    drained += n;
                }
            }
        }
        catch (Exception e) when (e is IOException or AuthenticationException)
        {
            LogClientGone(e.Message); // a failed handshake or a client gone mid-request: its own connection only
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<(HttpParseStatus, HttpRequestHead, int, int)> ReadHeadAsync(Stream tls, byte[] buffer, CancellationToken cancellationToken)
    {
        var received = 0;
        while (true)
        {
            var status = HttpRequestParser.Parse(buffer.AsSpan(0, received), out var head, out var headLength);
            if (status != HttpParseStatus.Incomplete)
            {
                return (status, head, headLength, received);
            }
            var n = await tls.ReadAsync(buffer.AsMemory(received, HttpRequestParser.MaxHeadBytes - received), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return (status, head, 0, -1);
            }
            received += n;
        }
    }

    private async Task<HttpResponse> RespondAsync(Stream tls, HttpParseStatus status, HttpRequestHead head, byte[] buffer, int headLength,
        int received, CancellationToken cancellationToken)
    {
        switch (status)
        {
            case HttpParseStatus.HeadTooLarge:
                return HttpResponse.Text(431, $"request head over {HttpRequestParser.MaxHeadBytes} bytes\n");
            case HttpParseStatus.VersionNotSupported:
                return HttpResponse.Text(505, "HTTP/1.1 or HTTP/1.0 only\n");
            case HttpParseStatus.BadRequest:
                return HttpResponse.Text(400, "malformed request\n");
        }
        var isAdmission = head.Path is "/mutate" or "/mutate-namespace";
        if (!isAdmission)
        {
            if (head.Path is not ("/healthz" or "/readyz" or "/metrics"))
            {
                return HttpResponse.Text(404, "not found\n");
            }
            if (!head.IsReadOnly || status != HttpParseStatus.Ok)
            {
                return HttpResponse.Text(405, "method not allowed\n", allow: "GET, HEAD");
            }
            return head.Path == "/metrics"
                ? new HttpResponse(200, Observability.PrometheusTextWriter.ContentType,
                    Encoding.UTF8.GetBytes(Admissions.Render(Counters, _certificate.Reloads)))
                : HttpResponse.Text(200, "ok\n");
        }
        if (head.Method != "POST")
        {
            return HttpResponse.Text(405, "method not allowed\n", allow: "POST");
        }
        // The strict parser has checked there is exactly one Content-Length of digits only and no Transfer-Encoding.
        var length = status == HttpParseStatus.BodyNotAccepted ? ContentLength.Read(buffer.AsSpan(0, headLength)) : 0;
        if (length > AdmissionHandler.MaxBodyBytes)
        {
            return HttpResponse.Text(413, $"request body over {AdmissionHandler.MaxBodyBytes} bytes\n");
        }
        var size = (int)length;
        var body = ArrayPool<byte>.Shared.Rent(Math.Max(size, 1));
        try
        {
            var have = Math.Min(received - headLength, size);
            buffer.AsSpan(headLength, have).CopyTo(body);
            await tls.ReadExactlyAsync(body.AsMemory(have, size - have), cancellationToken).ConfigureAwait(false);
            var result = _handler.Handle(body.AsSpan(0, size), injectByDefault: head.Path == "/mutate-namespace");
            Report(result);
            return new HttpResponse(result.StatusCode, result.ContentType, result.Body);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body);
        }
    }

    private void Report(AdmissionResult result)
    {
        Admissions.Count(result.Verdict);
        switch (result.Verdict)
        {
            case AdmissionVerdict.Malformed:
                LogMalformed(result.Reason ?? "");
                break;
            case AdmissionVerdict.Denied:
                LogDenied(result.Reason ?? "");
                break;
            default:
                LogAdmitted(result.Verdict);
                break;
        }
    }

    public ValueTask DisposeAsync() => _loop.DisposeAsync();
}
