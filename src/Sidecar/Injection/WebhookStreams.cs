using System.Net.Security;
using Sidecar.Admin.Http;
using Sidecar.Resilience;

namespace Sidecar.Injection;

/// <summary>
/// Reading and writing HTTP/1.1 messages on a webhook's TLS stream: the request head (strictly parsed, carrying
/// over what follows it), the wait for the next request on a kept-alive connection, an answer in one write,
/// and reading away a refused body. The connection's policy (deadlines, keep-alive) is <see cref="WebhookServer"/>'s.
/// </summary>
internal static class WebhookStreams
{
    /// <summary>At most this much of a refused body is read away before closing.</summary>
    private const long MaxLingerBytes = 4L * AdmissionHandler.MaxBodyBytes;

    /// <summary>False when the connection closed or its idle deadline passed (or it was evicted) first: an
    /// ordinary end of a kept-alive connection, not a timeout to count.</summary>
    public static async Task<bool> WaitForRequestAsync(SslStream tls, CancellationToken closing)
    {
        try
        {
            await tls.ReadAsync(Memory<byte>.Empty, closing).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (closing.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Reads until <paramref name="buffer"/> holds a whole head (its first <paramref name="received"/>
    /// bytes may already); returns the parse, the head's length and the bytes now held (-1: closed before a whole head).</summary>
    public static async Task<(HttpParseStatus, HttpRequestHead, int, int)> ReadHeadAsync(Stream tls, byte[] buffer, int received,
        CancellationToken cancellationToken)
    {
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

    /// <summary>Head and body in one write: one TLS record and one segment, so nothing waits on Nagle.</summary>
    public static byte[] Serialize(HttpResponse response, bool keepAlive, bool withBody)
    {
        var head = response.Head(keepAlive);
        if (!withBody)
        {
            return head;
        }
        var bytes = new byte[head.Length + response.Body.Length];
        head.CopyTo(bytes, 0);
        response.Body.CopyTo(bytes, head.Length);
        return bytes;
    }

    /// <summary>The client is still sending the body it declared: read it away (bounded in bytes and time) so it
    /// gets our answer rather than a reset.</summary>
    public static async Task LingerAsync(SslStream tls, byte[] buffer, ConnectionSlot slot, TimeSpan timeout)
    {
        slot.CloseAfter(timeout);
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
