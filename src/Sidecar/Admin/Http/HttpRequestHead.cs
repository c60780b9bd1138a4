namespace Sidecar.Admin.Http;

/// <summary>The parts of a request head the admin endpoints use.</summary>
/// <param name="Method">The method token, e.g. GET (case-sensitive, RFC 9110 §9.1).</param>
/// <param name="Path">The origin-form path without its query.</param>
/// <param name="KeepAlive">The client lets the connection persist after the response (RFC 9112 §9.3): HTTP/1.1
/// unless it sends <c>Connection: close</c>, HTTP/1.0 only with <c>Connection: keep-alive</c>.</param>
internal readonly record struct HttpRequestHead(string Method, string Path, bool KeepAlive = false)
{
    public bool IsHead => Method == "HEAD";

    /// <summary>GET and HEAD only: the endpoints read state and change nothing.</summary>
    public bool IsReadOnly => Method is "GET" or "HEAD";
}
