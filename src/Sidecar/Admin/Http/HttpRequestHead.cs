namespace Sidecar.Admin.Http;

/// <summary>The parts of a request head the admin endpoints use.</summary>
/// <param name="Method">The method token, e.g. GET (case-sensitive, RFC 9110 §9.1).</param>
/// <param name="Path">The origin-form path without its query.</param>
internal readonly record struct HttpRequestHead(string Method, string Path)
{
    public bool IsHead => Method == "HEAD";

    /// <summary>GET and HEAD only: the endpoints read state and change nothing.</summary>
    public bool IsReadOnly => Method is "GET" or "HEAD";
}
