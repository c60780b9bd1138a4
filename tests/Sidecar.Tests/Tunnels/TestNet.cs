using System.Net;
using System.Net.Sockets;
using Sidecar.Dns.Serving;

namespace Sidecar.Tests.Tunnels;

/// <summary>Loopback-only helpers: polling with generous timeouts, reading exactly N bytes (free ports: <see cref="Support.FreePort"/>).</summary>
internal static class TestNet
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Polls until the condition holds; fails the test after <see cref="Patience"/>.</summary>
    public static Task UntilAsync(Func<bool> condition, string what) =>
        Support.Eventually.TrueAsync(condition, what, Patience);

    public static async Task<Socket> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(Patience);
        await socket.ConnectAsync(endPoint, timeout.Token);
        return socket;
    }

    /// <summary>Sends the text and reads the same number of bytes back.</summary>
    public static async Task<string> RoundTripAsync(Socket socket, string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        await socket.SendAsync(bytes);
        return System.Text.Encoding.UTF8.GetString(await ReadExactlyAsync(socket, bytes.Length));
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes with the product's loop (<see cref="TcpFraming"/>).</summary>
    public static async Task<byte[]> ReadExactlyAsync(Socket socket, int count)
    {
        var buffer = new byte[count];
        using var timeout = new CancellationTokenSource(Patience);
        return await TcpFraming.ReadExactlyAsync(socket, buffer, timeout.Token)
            ? buffer
            : throw new IOException($"connection closed before {count} bytes came");
    }

    /// <summary>Reads until the peer closes; returns what came.</summary>
    public static async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        using var memory = new MemoryStream();
        var buffer = new byte[8192];
        using var timeout = new CancellationTokenSource(Patience);
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            memory.Write(buffer, 0, n);
        }
        return memory.ToArray();
    }
}
