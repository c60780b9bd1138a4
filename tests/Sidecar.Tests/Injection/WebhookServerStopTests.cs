using System.Net.Sockets;
using System.Text;
using Sidecar.Injection;

namespace Sidecar.Tests.Injection;

/// <summary>The webhook's graceful stop on SIGTERM: idle kept-alive connections closed, an admission in flight
/// answered (and told the connection closes), then nothing accepted.</summary>
public sealed class WebhookServerStopTests : IAsyncDisposable
{
    private readonly RunningWebhook _webhook = new(TimeProvider.System);

    public ValueTask DisposeAsync() => _webhook.DisposeAsync();

    [Fact]
    public async Task StopAsync_IdleAndInFlightConnections_IdleClosedInFlightAnsweredThenClosed()
    {
        var endPoint = _webhook.Server.LocalEndPoint;
        await using var idle = await RawHttpsClient.ConnectAsync(endPoint);
        await idle.SendAsync(RawHttpsClient.Get("/healthz"));
        Assert.Equal(200, (await idle.ReadResponseAsync()).Status);
        await using var inFlight = await RawHttpsClient.ConnectAsync(endPoint);
        var request = RawHttpsClient.Post("/mutate", AdmissionReviews.PodCreate(AdmissionReviews.Pod("""{"sidecar.kubeinfra.io/inject": "true"}""")));
        var split = request.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4 + 10;
        await inFlight.SendAsync(request[..split]); // the head and a little of the body
        await Task.Delay(300); // the server has the whole head: the connection is busy answering

        var stopping = _webhook.Server.StopAsync(TimeSpan.FromSeconds(20));

        Assert.True(await idle.ClosedWithinAsync(TimeSpan.FromSeconds(10)), "an idle kept-alive connection outlived the stop");
        Assert.False(stopping.IsCompleted, "the stop did not wait for the admission in flight");
        await inFlight.SendAsync(request[split..]);
        var (status, connection, body) = await inFlight.ReadResponseAsync();
        Assert.Equal((200, "close"), (status, connection));
        Assert.Contains("\"patch\"", body, StringComparison.Ordinal);
        await stopping.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(await inFlight.ClosedWithinAsync(TimeSpan.FromSeconds(10)));
        using var late = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await Assert.ThrowsAsync<SocketException>(async () => await late.ConnectAsync(endPoint));
    }
}
