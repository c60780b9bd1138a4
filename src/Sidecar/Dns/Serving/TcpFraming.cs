using System.Net.Sockets;

namespace Sidecar.Dns.Serving;

/// <summary>Reads for DNS over TCP, where a message may arrive in several segments (RFC 7766 §8).</summary>
internal static class TcpFraming
{
    /// <returns>False when the peer closed the connection before the buffer was full.</returns>
    public static async ValueTask<bool> ReadExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer[read..], SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }
            read += n;
        }
        return true;
    }
}
