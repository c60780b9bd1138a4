using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Sidecar.Observability;
using Sidecar.Resilience;
using Sidecar.Tests.Support;

namespace Sidecar.Tests.Resilience;

/// <summary>The shared accept loop over real loopback sockets, with a trivial serve callback.</summary>
public sealed class BoundedAcceptLoopTests
{
    private sealed class Counters : IConnectionCounters
    {
        public Counter Evicted { get; } = new();
        public Counter Refused { get; } = new();
        public Counter TimedOut { get; } = new();
        public Gauge Open { get; } = new();
    }

    private static readonly AcceptLoopEvents Quiet = new(_ => { }, _ => { }, (_, _, _) => { });

    /// <summary>Holds each connection until the client closes it or the slot must close.</summary>
    private static async Task HoldAsync(Socket client, ConnectionSlot slot)
    {
        var buffer = new byte[16];
        while (await client.ReceiveAsync(buffer, SocketFlags.None, slot.Closing) > 0)
        {
        }
    }

    [Fact]
    public async Task Connections_StormOpenedThenClosed_MemoryGivenBackAfterCalm()
    {
        var time = new FakeTimeProvider();
        var counters = new Counters();
        var givenBack = 0;
        await using var loop = new BoundedAcceptLoop(new IPEndPoint(FreePort.UniqueLoopback(), 0), dualStack: false, 1024,
            TimeSpan.FromSeconds(10), counters, Quiet, HoldAsync, time, () => Interlocked.Increment(ref givenBack));
        loop.Start();
        var clients = new List<Socket>();
        for (var i = 0; i < BoundedAcceptLoop.StormSize; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(loop.LocalEndPoint);
            clients.Add(socket);
        }
        await Eventually.TrueAsync(() => counters.Open.Value == BoundedAcceptLoop.StormSize, "the storm accepted");

        clients.ForEach(s => s.Dispose());
        await Eventually.TrueAsync(() => counters.Open.Value == 0, "the storm gone");

        // The calm timer is armed by the close that brought the count down, on a pool thread: keep time moving.
        await Eventually.TrueAsync(() =>
        {
            time.Advance(BoundedAcceptLoop.CalmFor);
            return Volatile.Read(ref givenBack) == 1;
        }, "memory given back once");
    }

    [Fact]
    public async Task DisposeAsync_ConnectionsOpen_EachClosedAndNotCountedAsTimedOut()
    {
        var counters = new Counters();
        var loop = new BoundedAcceptLoop(new IPEndPoint(FreePort.UniqueLoopback(), 0), dualStack: false, 16,
            TimeSpan.FromSeconds(10), counters, Quiet, HoldAsync, TimeProvider.System, () => { });
        loop.Start();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(loop.LocalEndPoint);
        await Eventually.TrueAsync(() => counters.Open.Value == 1, "accepted");

        await loop.DisposeAsync();

        Assert.Equal(0, await client.ReceiveAsync(new byte[1], SocketFlags.None));
        Assert.Equal(0, counters.Open.Value);
        Assert.Equal(0, counters.TimedOut.Value);
    }
}
