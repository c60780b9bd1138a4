using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Sidecar.Admin.Http;
using Sidecar.Tests.Support;

namespace Sidecar.Tests.Admin.Http;

/// <summary>The admin HTTP server over real loopback sockets, driven as a hostile client would.</summary>
public sealed class HttpServerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("GET /x HTTP/1.1\r\nHost: a\r\n\r\n", 200)]
    [InlineData("GET /x HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", 400)]
    [InlineData("GET /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400)]
    [InlineData("GET /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello", 413)]
    [InlineData("DELETE /x HTTP/1.1\r\nHost: a\r\n\r\n", 405)]
    [InlineData("GET /x HTTP/3.0\r\nHost: a\r\n\r\n", 505)]
    public async Task Request_RawHead_AnsweredWithStatus(string request, int status)
    {
        await using var server = Start(TimeProvider.System);

        var response = await ExchangeAsync(server.LocalEndPoint, Encoding.ASCII.GetBytes(request));

        Assert.StartsWith($"HTTP/1.1 {status} ", response, StringComparison.Ordinal);
        Assert.Contains("Connection: close\r\n", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_HeadOver8KiB_431()
    {
        await using var server = Start(TimeProvider.System);
        var request = Encoding.ASCII.GetBytes("GET /x HTTP/1.1\r\nHost: a\r\nX-Big: " + new string('a', 16 * 1024) + "\r\n\r\n");

        var response = await ExchangeAsync(server.LocalEndPoint, request);

        Assert.StartsWith("HTTP/1.1 431 ", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_HeadNotCompleteWithinTimeout_ConnectionClosed()
    {
        var time = new FakeTimeProvider();
        var counters = new HttpConnectionCounters();
        await using var server = Start(time, counters);
        using var slow = await ConnectAsync(server.LocalEndPoint);
        await slow.SendAsync("GET /x HTTP/1.1\r\nHost: a\r\n"u8.ToArray(), SocketFlags.None);   // and never the blank line
        await Eventually.TrueAsync(() => counters.Open.Value == 1, "the connection accepted");

        time.Advance(HttpServer.HeadTimeout);

        Assert.Equal(0, await ReadToEndAsync(slow));
        await Eventually.TrueAsync(() => counters.TimedOut.Value == 1, "a timeout counted");
    }

    [Fact]
    public async Task Accept_OverConnectionCap_OldestSlowClientEvictedAndNewRequestAnswered()
    {
        var counters = new HttpConnectionCounters();
        await using var server = Start(TimeProvider.System, counters);
        var slow = new List<Socket>();
        try
        {
            for (var i = 0; i < HttpServer.MaxConnections + 10; i++)
            {
                var socket = await ConnectAsync(server.LocalEndPoint);
                await socket.SendAsync("GET /x HTTP/1.1\r\n"u8.ToArray(), SocketFlags.None);
                slow.Add(socket);
            }

            var response = await ExchangeAsync(server.LocalEndPoint, "GET /x HTTP/1.1\r\nHost: a\r\n\r\n"u8.ToArray());

            Assert.StartsWith("HTTP/1.1 200 ", response, StringComparison.Ordinal);
            // The earliest slow client made room: the server closed it.
            Assert.Equal(0, await ReadToEndAsync(slow[0]));
            Assert.True(counters.Open.Value <= HttpServer.MaxConnections, $"{counters.Open.Value} open");
        }
        finally
        {
            slow.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task Request_FromLoopback_HandlerToldLoopback()
    {
        bool? loopback = null;
        await using var server = new HttpServer(new IPEndPoint(IPAddress.Loopback, 0), (_, l) =>
        {
            loopback = l;
            return HttpResponse.Text(200, "ok\n");
        }, TimeProvider.System, NullLogger.Instance);
        server.Start();

        await ExchangeAsync(server.LocalEndPoint, "GET /x HTTP/1.1\r\nHost: a\r\n\r\n"u8.ToArray());

        Assert.True(loopback);
    }

    private static HttpServer Start(TimeProvider time, HttpConnectionCounters? counters = null)
    {
        var server = new HttpServer(new IPEndPoint(IPAddress.Loopback, 0), (_, _) => HttpResponse.Text(200, "ok\n"), time, NullLogger.Instance, counters);
        server.Start();
        return server;
    }

    private static async Task<Socket> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endPoint);
        return socket;
    }

    /// <summary>Sends a request and reads the response until the server closes.</summary>
    private static async Task<string> ExchangeAsync(IPEndPoint endPoint, byte[] request)
    {
        using var socket = await ConnectAsync(endPoint);
        await socket.SendAsync(request, SocketFlags.None);
        var received = new MemoryStream();
        await ReadToEndAsync(socket, received);
        return Encoding.ASCII.GetString(received.ToArray());
    }

    private static async Task<long> ReadToEndAsync(Socket socket, MemoryStream? into = null)
    {
        using var patience = new CancellationTokenSource(Patience);
        var buffer = new byte[4096];
        long total = 0;
        while (true)
        {
            int n;
            try
            {
                n = await socket.ReceiveAsync(buffer, SocketFlags.None, patience.Token);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                return total;
            }
            if (n == 0)
            {
                return total;
            }
            into?.Write(buffer, 0, n);
            total += n;
        }
    }
}
