using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Sidecar.Tests.Tunnels.Native.Yamux;

/// <summary>
/// The far end of a loopback TCP connection, speaking raw bytes: the test writes recorded or hand-made yamux
/// frames and reads what the product sent, with its own reading of the 12-byte header.
/// </summary>
internal sealed class RawPeer : IAsyncDisposable
{
    private readonly Socket _socket;

    private RawPeer(Socket socket, NetworkStream client)
    {
        _socket = socket;
        Client = client;
        Server = new NetworkStream(socket, ownsSocket: true);
    }

    /// <summary>The product's end.</summary>
    public NetworkStream Client { get; }

    /// <summary>The test's end.</summary>
    public NetworkStream Server { get; }

    public static async Task<RawPeer> ConnectAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        var server = await listener.AcceptSocketAsync();
        return new RawPeer(server, new NetworkStream(client, ownsSocket: true));
    }

    public async Task<(byte Type, ushort Flags, uint StreamId, uint Length, byte[] Payload)> ReadFrameAsync()
    {
        using var timeout = new CancellationTokenSource(TestNet.Patience);
        var header = new byte[12];
        await Server.ReadExactlyAsync(header, timeout.Token);
        Assert.Equal(0, header[0]);
        var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(8));
        var payload = header[1] == 0 ? new byte[length] : [];
        await Server.ReadExactlyAsync(payload, timeout.Token);
        return (header[1], BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2)), BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4)), length, payload);
    }

    public Task SendFrameAsync(byte type, ushort flags, uint streamId, uint length, byte[]? payload = null)
    {
        var frame = new byte[12 + (payload?.Length ?? 0)];
        frame[1] = type;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), flags);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), streamId);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), length);
        payload?.CopyTo(frame, 12);
        return Server.WriteAsync(frame).AsTask();
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Client.DisposeAsync();
        _socket.Dispose();
    }
}
