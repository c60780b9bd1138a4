using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Sidecar.Tests.Discovery.StandIn;

/// <summary>
/// One TLS connection to the stand-in API server, speaking just enough HTTP/1.1 (RFC 9112): GET requests
/// with keep-alive, fixed-length answers and chunked streams (watch).
/// </summary>
internal sealed class StandInHttpConnection(TcpClient client, SslStream tls) : IAsyncDisposable
{
    /// <summary>The authenticated client of the current request; its bytes are counted.</summary>
    public StandInClientStats? Stats { get; set; }

    public X509Certificate2? ClientCertificate => tls.RemoteCertificate as X509Certificate2
        ?? (tls.RemoteCertificate is { } c ? X509CertificateLoader.LoadCertificate(c.GetRawCertData()) : null);

    public static async Task<StandInHttpConnection?> AcceptAsync(TcpClient client, X509Certificate2 serverCertificate, CancellationToken cancellationToken)
    {
        var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = serverCertificate,
                // Ask for a client certificate; accept none (token auth) and check the one given ourselves.
                ClientCertificateRequired = true,
                RemoteCertificateValidationCallback = static (_, _, _, _) => true,
            }, cancellationToken);
            return new StandInHttpConnection(client, tls);
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
        {
            // A client that does not trust our CA gives up during the handshake.
            await tls.DisposeAsync();
            client.Dispose();
            return null;
        }
    }

    /// <summary>Reads one request head; null when the client closed the connection.</summary>
    public async Task<(string Target, Dictionary<string, string> Headers)?> ReadRequestAsync(CancellationToken cancellationToken)
    {
        var head = new StringBuilder();
        var buffer = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await tls.ReadAsync(buffer, cancellationToken) == 0)
            {
                return null;
            }
            head.Append((char)buffer[0]);
            if (head.Length > 64 * 1024)
            {
                return null;
            }
        }
        var lines = head.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var parts = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        return (parts[1], headers);
    }

    public Task RespondAsync(int status, string body, CancellationToken cancellationToken) =>
        RespondAsync(status, Encoding.UTF8.GetBytes(body), cancellationToken);

    public async Task RespondAsync(int status, byte[] body, CancellationToken cancellationToken)
    {
        var head = Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {Reason(status)}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n");
        await WriteAsync(head, cancellationToken);
        await WriteAsync(body, cancellationToken);
        await tls.FlushAsync(cancellationToken);
    }

    public async Task StartChunkedAsync(CancellationToken cancellationToken)
    {
        await WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"u8.ToArray(), cancellationToken);
        await tls.FlushAsync(cancellationToken);
    }

    /// <summary>One watch event: the line (with its newline) as one chunk.</summary>
    public async Task WriteChunkAsync(byte[] line, CancellationToken cancellationToken)
    {
        await WriteAsync(Encoding.ASCII.GetBytes($"{line.Length:X}\r\n"), cancellationToken);
        await WriteAsync(line, cancellationToken);
        await WriteAsync("\r\n"u8.ToArray(), cancellationToken);
        await tls.FlushAsync(cancellationToken);
    }

    public async Task EndChunkedAsync(CancellationToken cancellationToken)
    {
        await WriteAsync("0\r\n\r\n"u8.ToArray(), cancellationToken);
        await tls.FlushAsync(cancellationToken);
    }

    /// <summary>Drops the TCP connection mid-stream, as a restarting API server or load balancer would.</summary>
    public void Abort()
    {
        try
        {
            client.Client?.Close(0);
        }
        catch (ObjectDisposedException)
        {
            // Already closed.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await tls.DisposeAsync();
        client.Dispose();
    }

    private async Task WriteAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        await tls.WriteAsync(bytes, cancellationToken);
        Stats?.AddBytes(bytes.Length);
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        410 => "Gone",
        422 => "Unprocessable Entity",
        504 => "Gateway Timeout",
        _ => "Internal Server Error",
    };
}
