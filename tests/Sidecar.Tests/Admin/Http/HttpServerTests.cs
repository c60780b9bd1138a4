using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Sidecar.Admin.Http;
using Sidecar.Resilience;
using Sidecar.Tests.Support;

namespace Sidecar.Tests.Admin.Http;

/// <summary>The admin HTTP server over real loopback sockets, driven as a hostile client would.</summary>
public sealed class HttpServerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    /// <summary>A small cap, so a test reaches it with a few sockets.</summary>
    private const int Cap = 16;

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

        // "Accepted" is counted before the connection's deadline is set, so one jump of the clock can come too
        // early: keep advancing (by the sweep period, never past twice the timeout) until the server hangs up.
        var closed = await AdvanceUntilClosedAsync(time, slow, ConnectionSlots.SweepPeriod, 2 * HttpServer.HeadTimeout, TimeSpan.FromMilliseconds(50));

        Assert.True(closed, "the connection outlived twice the head timeout");
        await Eventually.TrueAsync(() => counters.TimedOut.Value == 1, "a timeout counted");
    }

    [Fact]
    public async Task Accept_OverConnectionCap_OldestSlowClientEvictedAndNewRequestAnswered()
    {
        var counters = new HttpConnectionCounters();
        await using var server = Start(TimeProvider.System, counters, Cap);
        var slow = new List<Socket>();
        try
        {
            for (var i = 0; i < Cap + 10; i++)
            {
                var socket = await ConnectAsync(server.LocalEndPoint);
                await socket.SendAsync("GET /x HTTP/1.1\r\n"u8.ToArray(), SocketFlags.None);
                slow.Add(socket);
            }

            var response = await ExchangeAsync(server.LocalEndPoint, "GET /x HTTP/1.1\r\nHost: a\r\n\r\n"u8.ToArray());

            Assert.StartsWith("HTTP/1.1 200 ", response, StringComparison.Ordinal);
            // The earliest slow client made room: the server closed it.
            Assert.Equal(0, await ReadToEndAsync(slow[0]));
            // An evicted connection gives its slot up at once and its socket as soon as its task ends.
            await Eventually.TrueAsync(() => counters.Open.Value <= Cap, $"at most {Cap} open");
        }
        finally
        {
            slow.ForEach(s => s.Dispose());
        }
    }

    [Theory]
    [InlineData(0.0, 5.0)]
    [InlineData(0.5, 5.0)]
    [InlineData(0.75, 3.0)]
    [InlineData(1.0, 1.0)]
    public void HeadTimeoutAt_Occupancy_ShrinksAbovePressureThreshold(double occupancy, double seconds)
    {
        Assert.Equal(seconds, HttpServer.HeadTimeoutAt(occupancy).TotalSeconds, precision: 6);
    }

    [Fact]
    public async Task Request_HeadSlowWhileSlotsNearlyFull_ClosedBeforeFullHeadTimeout()
    {
        var time = new FakeTimeProvider();
        var counters = new HttpConnectionCounters();
        await using var server = Start(time, counters, cap: 4);
        var slow = new List<Socket>();
        try
        {
            // Under pressure a slow head gets less time: the fourth of four slots gets the minimum.
            for (var i = 0; i < 4; i++)
            {
                var socket = await ConnectAsync(server.LocalEndPoint);
                await socket.SendAsync("GET /x HTTP/1.1\r\n"u8.ToArray(), SocketFlags.None);
                slow.Add(socket);
                await Eventually.TrueAsync(() => counters.Open.Value == i + 1, "the connection accepted");
            }

            // Advance in steps (the last connection arms its deadline on a pool thread, maybe after a step) and
            // stop short of the full head timeout: the old fixed 5 s never fired here.
            var closed = await AdvanceUntilClosedAsync(time, slow[3], HttpServer.MinHeadTimeout,
                HttpServer.HeadTimeout - HttpServer.MinHeadTimeout, TimeSpan.FromSeconds(2));

            Assert.True(closed, "the slow head under pressure was not closed before the full head timeout");
            await Eventually.TrueAsync(() => counters.TimedOut.Value >= 1, "a timeout counted");
        }
        finally
        {
            slow.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task Accept_ThousandSlowClients_AllHeldAndProbeAnswered()
    {
        // 64 slots and a backlog of 512 made a crowd of slow clients churn: evicted, reopened, the listen queue
        // full, and a probe's SYN dropped for a second. Held cheaply (no buffer before bytes), nothing churns.
        var counters = new HttpConnectionCounters();
        await using var server = Start(TimeProvider.System, counters);
        var slow = new List<Socket>();
        try
        {
            for (var i = 0; i < 1000; i++)
            {
                var socket = await ConnectAsync(server.LocalEndPoint);
                if (i % 2 == 0)
                {
                    await socket.SendAsync("G"u8.ToArray(), SocketFlags.None);
                }
                slow.Add(socket);
            }
            await Eventually.TrueAsync(() => counters.Open.Value == 1000, "all 1,000 accepted");

            var response = await ExchangeAsync(server.LocalEndPoint, "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n"u8.ToArray());

            Assert.StartsWith("HTTP/1.1 200 ", response, StringComparison.Ordinal);
            Assert.Equal(0, counters.Evicted.Value);
        }
        finally
        {
            slow.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task Request_HeadArrivingByteByByte_BufferGrowsAndAnswered()
    {
        await using var server = Start(TimeProvider.System);
        using var client = await ConnectAsync(server.LocalEndPoint);
        // Longer than the first buffer, sent in pieces: each piece is kept while the buffer grows.
        var request = Encoding.ASCII.GetBytes("GET /x HTTP/1.1\r\nHost: a\r\nX-Pad: " + new string('p', 3000) + "\r\n\r\n");
        for (var i = 0; i < request.Length; i += 700)
        {
            await client.SendAsync(request.AsMemory(i, Math.Min(700, request.Length - i)), SocketFlags.None);
            await Task.Delay(5);
        }
        var received = new MemoryStream();

        await ReadToEndAsync(client, received);

        Assert.StartsWith("HTTP/1.1 200 ", Encoding.ASCII.GetString(received.ToArray()), StringComparison.Ordinal);
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

    private static HttpServer Start(TimeProvider time, HttpConnectionCounters? counters = null, int cap = HttpServer.MaxConnections)
    {
        var server = new HttpServer(new IPEndPoint(IPAddress.Loopback, 0), (_, _) => HttpResponse.Text(200, "ok\n"), time, NullLogger.Instance, counters, cap);
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

    /// <summary>True when the server closed the connection within <paramref name="wait"/> (real time).</summary>
    /// <summary>Advances <paramref name="time"/> by <paramref name="step"/>, at most <paramref name="limit"/> in all, until the server closes <paramref name="socket"/>.</summary>
    private static async Task<bool> AdvanceUntilClosedAsync(FakeTimeProvider time, Socket socket, TimeSpan step, TimeSpan limit, TimeSpan probe)
    {
        for (var advanced = step; advanced <= limit; advanced += step)
        {
            time.Advance(step);
            if (await ClosedWithinAsync(socket, probe))
            {
                return true;
            }
        }
        return false;
    }

    private static async Task<bool> ClosedWithinAsync(Socket socket, TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            return await socket.ReceiveAsync(new byte[64], SocketFlags.None, timeout.Token) == 0;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
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
