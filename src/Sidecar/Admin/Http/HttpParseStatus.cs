namespace Sidecar.Admin.Http;

/// <summary>What reading a request head found; each failure maps to one response status.</summary>
internal enum HttpParseStatus
{
    /// <summary>No blank line yet: read more (within the size and time bounds).</summary>
    Incomplete,
    Ok,
    /// <summary>400: not a well-formed HTTP/1.x request head (RFC 9112).</summary>
    BadRequest,
    /// <summary>431: the head does not fit <see cref="HttpRequestParser.MaxHeadBytes"/> (RFC 6585 §5).</summary>
    HeadTooLarge,
    /// <summary>413: the request declares a body; these endpoints take none (RFC 9110 §15.5.14).</summary>
    BodyNotAccepted,
    /// <summary>505: an HTTP version other than 1.0 or 1.1 (RFC 9110 §15.6.6).</summary>
    VersionNotSupported,
}
