using System.Text;
using Microsoft.Extensions.Logging;
using Sidecar.Admin.Http;
using Sidecar.Observability;

namespace Sidecar.Injection;

/// <summary>
/// What each webhook path answers: <c>POST /mutate</c> (Pods that opt in), <c>POST /mutate-namespace</c> (Pods of
/// namespaces labelled <c>sidecar.kubeinfra.io/inject=enabled</c>, which opt out), <c>/healthz</c>, <c>/readyz</c>
/// and <c>/metrics</c>. No I/O: <see cref="WebhookServer"/> reads the body only when <see cref="AnswerWithoutBody"/>
/// says the request is an admission to read.
/// </summary>
internal sealed partial class WebhookRoutes(AdmissionHandler handler, ServingCertificate certificate, Func<bool> accepting,
    HttpConnectionCounters connections, InjectionCounters counters, ILogger logger)
{
    private readonly ILogger _logger = logger;

    /// <summary>The answer to a request that needs no body read, or null for an admission whose
    /// <paramref name="contentLength"/> bytes are to be read and passed to <see cref="Admit"/>.</summary>
    public HttpResponse? AnswerWithoutBody(HttpParseStatus status, HttpRequestHead head, long contentLength)
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
        if (!IsAdmission(head.Path))
        {
            if (head.Path is not ("/healthz" or "/readyz" or "/metrics"))
            {
                return HttpResponse.Text(404, "not found\n");
            }
            if (!head.IsReadOnly || status != HttpParseStatus.Ok)
            {
                return HttpResponse.Text(405, "method not allowed\n", allow: "GET, HEAD");
            }
            return head.Path switch
            {
                "/metrics" => new HttpResponse(200, PrometheusTextWriter.ContentType,
                    Encoding.UTF8.GetBytes(counters.Render(connections, certificate.Reloads, certificate.NotAfter))),
                "/readyz" => Readiness(),
                _ => HttpResponse.Text(200, "ok\n"),
            };
        }
        if (head.Method != "POST")
        {
            return HttpResponse.Text(405, "method not allowed\n", allow: "POST");
        }
        return contentLength > AdmissionHandler.MaxBodyBytes
            ? HttpResponse.Text(413, $"request body over {AdmissionHandler.MaxBodyBytes} bytes\n")
            : null;
    }

    public HttpResponse Admit(HttpRequestHead head, ReadOnlySpan<byte> body)
    {
        var result = handler.Handle(body, injectByDefault: head.Path == "/mutate-namespace");
        counters.Count(result.Verdict);
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
        return new HttpResponse(result.StatusCode, result.ContentType, result.Body);
    }

    /// <summary>
    /// Ready when a handshake would succeed and a request be answered: the listener accepts and the certificate
    /// in use is within its validity. An expired pair that cert-manager failed to renew takes the replica out of
    /// the Service (the API server would refuse its handshakes anyway) and says why here and in the Pod's events.
    /// </summary>
    private HttpResponse Readiness()
    {
        if (!accepting())
        {
            return HttpResponse.Text(503, "not ready: the listener is not accepting connections\n");
        }
        return certificate.Unusable() is { } reason
            ? HttpResponse.Text(503, $"not ready: {reason}\n")
            : HttpResponse.Text(200, "ok\n");
    }

    private static bool IsAdmission(string path) => path is "/mutate" or "/mutate-namespace";
}
