using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Sidecar.Injection;
using Sidecar.Resilience;
using Sidecar.Tests.Support;

namespace Sidecar.Tests.Injection;

/// <summary>HTTP/1.1 keep-alive on the webhook, as the API server's Go transport uses it: several admissions per
/// TLS connection, a bound on requests per connection, an idle deadline, and closing when the client asks.</summary>
public sealed class WebhookServerKeepAliveTests : IAsyncDisposable
{
    private const int MaxRequests = 3;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly RunningWebhook _webhook;
    private readonly WebhookServer _server;

    public WebhookServerKeepAliveTests()
    {
        _webhook = new RunningWebhook(_time, MaxRequests);
        _server = _webhook.Server;
    }

    public ValueTask DisposeAsync() => _webhook.DisposeAsync();

    private static string Review() =>
        AdmissionReviews.PodCreate(AdmissionReviews.Pod("""{"sidecar.kubeinfra.io/inject": "true"}"""));

    /// <summary>HttpClient over SocketsHttpHandler (connection pooling as Go's transport does), counting the
    /// connections it opens.</summary>
    private HttpClient PooledClient(Func<int> onConnect)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
            ConnectCallback = async (context, cancellationToken) =>
            {
                onConnect();
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{_server.LocalEndPoint.Port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string body)
    {
        var content = new StringContent(body, Encoding.UTF8, "application/json");
        return await client.PostAsync(path, content);
    }

    [Fact]
    public async Task Mutate_SequentialRequestsOnPooledClient_ServedOnOneConnection()
    {
        var connects = 0;
        using var client = PooledClient(() => Interlocked.Increment(ref connects));

        for (var i = 0; i < MaxRequests; i++)
        {
            using var response = await PostAsync(client, "/mutate", Review());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.NotNull(AdmissionReviews.Response(await response.Content.ReadAsByteArrayAsync())["patch"]);
        }

        Assert.Equal(1, connects);
        Assert.Equal(MaxRequests, _server.Admissions.Of(AdmissionVerdict.Injected));
        Assert.Equal(MaxRequests - 1, _server.Admissions.ReusedConnectionRequests.Value);
    }

    [Fact]
    public async Task Mutate_MoreRequestsThanTheBound_NewConnectionPerBound()
    {
        var connects = 0;
        using var client = PooledClient(() => Interlocked.Increment(ref connects));

        for (var i = 0; i < 2 * MaxRequests + 1; i++)
        {
            using var response = await PostAsync(client, "/mutate", Review());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            // The last answer a connection gives says so, and the client does not reuse it.
            Assert.Equal((i + 1) % MaxRequests == 0, response.Headers.ConnectionClose == true);
        }

        Assert.Equal(3, connects);
    }

    [Fact]
    public async Task Mutate_PipelinedRequests_AnsweredInOrderOnOneConnection()
    {
        await using var client = await RawHttpsClient.ConnectAsync(_server.LocalEndPoint);

        await client.SendAsync(RawHttpsClient.Post("/mutate", Review()) + RawHttpsClient.Post("/mutate", "{") + RawHttpsClient.Get("/healthz"));

        var first = await client.ReadResponseAsync();
        var second = await client.ReadResponseAsync();
        var third = await client.ReadResponseAsync();
        Assert.Equal((200, "keep-alive"), (first.Status, first.Connection));
        Assert.Contains("\"patch\"", first.Body, StringComparison.Ordinal);
        Assert.Equal(400, second.Status); // a malformed review, framed correctly: the connection stays usable
        Assert.Equal((200, "close", "ok\n"), third); // the third of MaxRequests
        Assert.True(await client.ClosedWithinAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Request_ClientSaysConnectionClose_ServerClosesAfterAnswer()
    {
        await using var client = await RawHttpsClient.ConnectAsync(_server.LocalEndPoint);

        await client.SendAsync(RawHttpsClient.Get("/healthz", "Connection: close\r\n"));

        Assert.Equal((200, "close", "ok\n"), await client.ReadResponseAsync());
        Assert.True(await client.ClosedWithinAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Request_BodyRefused_ConnectionClosed()
    {
        await using var client = await RawHttpsClient.ConnectAsync(_server.LocalEndPoint);

        // A body on a path that takes none is not read: the rest of the stream cannot be framed, so close.
        await client.SendAsync("POST /healthz HTTP/1.1\r\nHost: webhook\r\nContent-Length: 2\r\n\r\n{}");

        Assert.Equal((405, "close"), (await client.ReadResponseAsync() is var r ? (r.Status, r.Connection) : default));
        Assert.True(await client.ClosedWithinAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Idle_KeptAliveConnectionPastIdleTimeout_ClosedQuietly()
    {
        await using var client = await RawHttpsClient.ConnectAsync(_server.LocalEndPoint);
        await client.SendAsync(RawHttpsClient.Get("/healthz"));
        Assert.Equal(200, (await client.ReadResponseAsync()).Status);
        await Task.Delay(200); // the server starts the idle deadline just after its answer went out

        _time.Advance(WebhookServer.IdleTimeout - TimeSpan.FromSeconds(1));
        Assert.False(await client.ClosedWithinAsync(TimeSpan.FromMilliseconds(300)), "closed before the idle timeout");
        var closed = false;
        for (var step = 0; step < 20 && !closed; step++)
        {
            _time.Advance(ConnectionSlots.SweepPeriod);
            closed = await client.ClosedWithinAsync(TimeSpan.FromMilliseconds(100));
        }

        Assert.True(closed, "an idle connection outlived the idle timeout");
        await Eventually.TrueAsync(() => _server.Counters.Open.Value == 0, "the slot released");
        Assert.Equal(0, _server.Counters.TimedOut.Value); // an idle close is the ordinary end, not a timeout
    }

    [Fact]
    public async Task Head_SlowSecondRequestOnKeptAliveConnection_ClosedAtHeadTimeout()
    {
        await using var client = await RawHttpsClient.ConnectAsync(_server.LocalEndPoint);
        await client.SendAsync(RawHttpsClient.Get("/healthz"));
        Assert.Equal(200, (await client.ReadResponseAsync()).Status);

        await client.SendAsync("GET /healthz HTTP/1.1\r\n"); // and never the rest
        await Task.Delay(200); // let the server see the bytes and start the head deadline
        var closed = false;
        for (var advanced = TimeSpan.Zero; advanced <= 2 * WebhookServer.HeadTimeout && !closed; advanced += TimeSpan.FromSeconds(1))
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            closed = await client.ClosedWithinAsync(TimeSpan.FromMilliseconds(100));
        }

        Assert.True(closed, "a slow head on a kept-alive connection outlived twice the head timeout");
    }
}
