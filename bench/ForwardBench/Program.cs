using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Microsoft.Extensions.Logging.Abstractions;
using Sidecar.Endpoints;
using Sidecar.Tests.Support;
using Sidecar.Tunnels;
using Sidecar.Tunnels.Forwarding;

[assembly: SupportedOSPlatform("linux")]

namespace ForwardBench;

/// <summary>
/// forward LISTEN_PORT UP_HOST UP_PORT   host the product TcpForwarder on 127.0.0.1:LISTEN_PORT
/// echo PORT                             echo backend
/// cps HOST:PORT SECONDS WORKERS         connect, 1-byte echo, close, in a loop; prints connections/s
/// idle HOST:PORT COUNT                  hold COUNT echo-checked connections open until stdin closes
/// freeport                              print a free loopback TCP port
/// alloc-udp DATAGRAMS                   the same for UdpForwarder: bytes allocated per datagram round trip
/// alloc MEGABYTES                       in one process: echo backend, TcpForwarder, client; prints bytes
///                                       allocated (whole process) per MB relayed after warm-up
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "forward":
                await ForwardAsync(Int(args[1]), args[2], Int(args[3]));
                return 0;
            case "echo":
                await EchoAsync(Int(args[1]));
                return 0;
            case "cps":
                Console.WriteLine((await CpsAsync(IPEndPoint.Parse(args[1]), TimeSpan.FromSeconds(Int(args[2])), Int(args[3]))).ToString("0", CultureInfo.InvariantCulture));
                return 0;
            case "freeport":
                Console.WriteLine(FreePort.Tcp());
                return 0;
            case "alloc-udp":
                Console.WriteLine((await AllocUdpAsync(Int(args[1]))).ToString("0.00", CultureInfo.InvariantCulture));
                return 0;
            case "alloc":
                Console.WriteLine((await AllocAsync(Int(args[1]))).ToString("0.0", CultureInfo.InvariantCulture));
                return 0;
            case "idle":
                await IdleAsync(IPEndPoint.Parse(args[1]), Int(args[2]));
                return 0;
            default:
                Console.Error.WriteLine("usage: forward|echo|cps|idle …");
                return 2;
        }
    }

    private static int Int(string s) => int.Parse(s, CultureInfo.InvariantCulture);

    private static async Task ForwardAsync(int listenPort, string upstreamHost, int upstreamPort)
    {
        var endpoint = new Endpoint("bench", listenPort, "bench", ProxyType.Tcp, new FrpsTarget("bench", upstreamHost, 7000, null), upstreamPort, null);
        var tunnel = new Tunnel(endpoint, IPAddress.Loopback);
        await using var forwarder = new TcpForwarder(tunnel, new ForwarderOptions { MaxConnections = 100_000 }, new TunnelCounters(),
            TimeProvider.System, NullLogger.Instance);
        forwarder.Start();
        while (forwarder.State != TunnelState.Listening)
        {
            await Task.Delay(10);
        }
        Console.WriteLine("ready");
        await Task.Delay(Timeout.Infinite);
    }

    private static async Task<double> AllocAsync(int megabytes)
    {
        var echoPort = FreePort.Tcp();
        var forwardPort = FreePort.Tcp();
        _ = EchoAsync(echoPort);
        _ = ForwardAsync(forwardPort, "127.0.0.1", echoPort);
        await Task.Delay(500);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, forwardPort));
        var chunk = new byte[64 * 1024];
        var back = new byte[64 * 1024];

        async Task TransferAsync(long bytes)
        {
            var receive = Task.Run(async () =>
            {
                long got = 0;
                while (got < bytes)
                {
                    got += await client.ReceiveAsync(back.AsMemory(), SocketFlags.None);
                }
            });
            for (long sent = 0; sent < bytes; sent += chunk.Length)
            {
                await client.SendAsync(chunk.AsMemory(), SocketFlags.None);
            }
            await receive;
        }

        await TransferAsync(64L << 20);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        await TransferAsync((long)megabytes << 20);
        var after = GC.GetTotalAllocatedBytes(precise: true);
        return (after - before) / (double)megabytes;
    }

    private static async Task<double> AllocUdpAsync(int datagrams)
    {
        using var backend = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        backend.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _ = Task.Run(async () =>
        {
            var buffer = new byte[2048];
            var from = new SocketAddress(AddressFamily.InterNetwork);
            while (true)
            {
                var n = await backend.ReceiveFromAsync(buffer.AsMemory(), SocketFlags.None, from);
                await backend.SendToAsync(buffer.AsMemory(0, n), SocketFlags.None, from);
            }
        });
        var port = FreePort.Tcp();
        var endpoint = new Endpoint("bench", port, "bench", ProxyType.Udp,
            new FrpsTarget("bench", "127.0.0.1", 7000, null), ((IPEndPoint)backend.LocalEndPoint!).Port, null);
        await using var forwarder = new UdpForwarder(new Tunnel(endpoint, IPAddress.Loopback), new ForwarderOptions(),
            new TunnelCounters(), TimeProvider.System, NullLogger.Instance);
        forwarder.Start();
        while (forwarder.State != TunnelState.Listening)
        {
            await Task.Delay(10);
        }
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Connect(new IPEndPoint(IPAddress.Loopback, port));
        var datagram = new byte[1200];
        var reply = new byte[2048];

        async Task PingPongAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                await client.SendAsync(datagram.AsMemory(), SocketFlags.None);
                await client.ReceiveAsync(reply.AsMemory(), SocketFlags.None);
            }
        }

        await PingPongAsync(10_000);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        await PingPongAsync(datagrams);
        var after = GC.GetTotalAllocatedBytes(precise: true);
        return (after - before) / (double)datagrams;
    }

    private static async Task EchoAsync(int port)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        listener.Listen(4096);
        Console.WriteLine("ready");
        while (true)
        {
            var client = await listener.AcceptAsync();
            client.NoDelay = true;
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    var buffer = new byte[16 * 1024];
                    try
                    {
                        int n;
                        while ((n = await client.ReceiveAsync(buffer.AsMemory(), SocketFlags.None)) > 0)
                        {
                            await client.SendAsync(buffer.AsMemory(0, n), SocketFlags.None);
                        }
                    }
                    catch (SocketException)
                    {
                    }
                }
            });
        }
    }

    private static async Task<double> CpsAsync(IPEndPoint target, TimeSpan duration, int workers)
    {
        long done = 0;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            var one = new byte[1];
            while (stopwatch.Elapsed < duration)
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                // Reset on close: no TIME_WAIT pile-up exhausting ephemeral ports during the run.
                socket.LingerState = new LingerOption(true, 0);
                await socket.ConnectAsync(target);
                await socket.SendAsync(one);
                if (await socket.ReceiveAsync(one) == 1)
                {
                    Interlocked.Increment(ref done);
                }
            }
        })));
        return done / stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task IdleAsync(IPEndPoint target, int count)
    {
        var sockets = new List<Socket>(count);
        var one = new byte[1];
        for (var i = 0; i < count; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(target);
            await socket.SendAsync(one);
            if (await socket.ReceiveAsync(one) != 1)
            {
                throw new IOException("echo failed");
            }
            sockets.Add(socket);
        }
        Console.WriteLine($"held {sockets.Count}");
        await Console.In.ReadToEndAsync();
        sockets.ForEach(s => s.Dispose());
    }
}
