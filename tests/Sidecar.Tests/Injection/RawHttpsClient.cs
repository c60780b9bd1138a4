using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Sidecar.Tests.Injection;

/// <summary>
/// One TLS connection driven by hand, for what HttpClient hides: pipelining, which connection answered, and
/// when the server closes it. Reads HTTP/1.1 responses framed by Content-Length (all the webhook sends).
/// </summary>
internal sealed class RawHttpsClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly SslStream _tls;
    private readonly MemoryStream _pending = new();

    private RawHttpsClient(Socket socket, SslStream tls)
    {
        _socket = socket;
        _tls = tls;
    }

    public static async Task<RawHttpsClient> ConnectAsync(IPEndPoint server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
        // The test's self-signed certificate: accepted without checks.
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        });
        return new RawHttpsClient(socket, tls);
    }

    public static string Post(string path, string body, string extraFields = "") =>
        $"POST {path} HTTP/1.1\r\nHost: webhook\r\nContent-Type: application/json\r\n{extraFields}Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";

    public static string Get(string path, string extraFields = "") => $"GET {path} HTTP/1.1\r\nHost: webhook\r\n{extraFields}\r\n";

    public async Task SendAsync(string requests)
    {
        await _tls.WriteAsync(Encoding.UTF8.GetBytes(requests));
        await _tls.FlushAsync();
    }

    /// <summary>The next response: status code, the Connection field (or null) and the body.</summary>
    public async Task<(int Status, string? Connection, string Body)> ReadResponseAsync()
    {
        int end;
        while ((end = IndexOf(_pending.ToArray(), "\r\n\r\n"u8)) < 0)
        {
            await FillAsync();
        }
        var head = Encoding.ASCII.GetString(_pending.ToArray(), 0, end);
        var lines = head.Split("\r\n");
        var fields = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var length = int.Parse(fields["Content-Length"], System.Globalization.CultureInfo.InvariantCulture);
        while (_pending.Length < end + 4 + length)
        {
            await FillAsync();
        }
        var all = _pending.ToArray();
        var body = Encoding.UTF8.GetString(all, end + 4, length);
        _pending.SetLength(0);
        _pending.Write(all, end + 4 + length, all.Length - end - 4 - length);
        return (int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), fields.GetValueOrDefault("Connection"), body);
    }

    /// <summary>Whether the server closed the connection within <paramref name="wait"/> (a read returns 0 or fails).</summary>
    public async Task<bool> ClosedWithinAsync(TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            var buffer = new byte[256];
            return await _tls.ReadAsync(buffer, timeout.Token) == 0;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private async Task FillAsync()
    {
        var buffer = new byte[16 * 1024];
        var n = await _tls.ReadAsync(buffer);
        if (n == 0)
        {
            throw new IOException("the server closed the connection before a whole response");
        }
        _pending.Write(buffer, 0, n);
    }

    private static int IndexOf(byte[] data, ReadOnlySpan<byte> value) => data.AsSpan().IndexOf(value);

    public async ValueTask DisposeAsync()
    {
        await _tls.DisposeAsync();
        _socket.Dispose();
    }
}
