using System.Text;

namespace Sidecar.Admin.Http;

/// <summary>A complete response, built in memory (the endpoints' answers are small).</summary>
internal sealed record HttpResponse(int Status, string ContentType, byte[] Body, string? Allow = null)
{
    public const string PlainText = "text/plain; charset=utf-8";

    public static HttpResponse Text(int status, string body, string? allow = null) =>
        new(status, PlainText, Encoding.UTF8.GetBytes(body), allow);

    /// <summary>The status line and fields; the response closes the connection (RFC 9112 §9.6) unless
    /// <paramref name="keepAlive"/>, said explicitly for HTTP/1.0 clients (RFC 9112 Appendix C.2.2).</summary>
    public byte[] Head(bool keepAlive = false)
    {
        var head = new StringBuilder(256)
            .Append("HTTP/1.1 ").Append(Status).Append(' ').Append(Reason(Status)).Append("\r\n")
            .Append("Content-Type: ").Append(ContentType).Append("\r\n")
            .Append("Content-Length: ").Append(Body.Length).Append("\r\n")
            .Append("Cache-Control: no-store\r\n")
            .Append("X-Content-Type-Options: nosniff\r\n");
        if (Allow is not null)
        {
            head.Append("Allow: ").Append(Allow).Append("\r\n");
        }
        head.Append(keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n");
        return Encoding.ASCII.GetBytes(head.ToString());
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Status",
    };
}
