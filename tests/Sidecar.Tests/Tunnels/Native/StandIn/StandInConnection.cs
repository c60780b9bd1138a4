using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Sockets;

namespace Sidecar.Tests.Tunnels.Native.StandIn;

/// <summary>
/// One client connection to the stand-in frps: the server side of yamux, read from the 12-byte header
/// layout (version 0; Data/WindowUpdate/Ping/GoAway; SYN/ACK/FIN/RST), answering a SYN with an ACK that
/// raises the window to 6 MiB as real frps does in the recordings, and pings with their ACK.
/// </summary>
internal sealed class StandInConnection(Stream transport, Func<StandInMuxStream, Task> onStream)
{
    private readonly Stream _net = transport;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<uint, StandInMuxStream> _streams = new();

    public async Task SendFrameAsync(byte type, ushort flags, uint streamId, uint length, ReadOnlyMemory<byte> payload = default)
    {
        // Header and payload in one write (one TLS record run), from a pooled buffer.
        var frame = ArrayPool<byte>.Shared.Rent(12 + payload.Length);
        try
        {
            frame[0] = 0;
            frame[1] = type;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), flags);
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), streamId);
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), length);
            payload.Span.CopyTo(frame.AsSpan(12));
            await _writeLock.WaitAsync();
            try
            {
                await _net.WriteAsync(frame.AsMemory(0, 12 + payload.Length));
            }
            finally
            {
                _writeLock.Release();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    public async Task RunAsync()
    {
        var header = new byte[12];
        try
        {
            while (true)
            {
                await _net.ReadExactlyAsync(header);
                if (header[0] != 0)
                {
                    throw new IOException("not yamux version 0");
                }
                var type = header[1];
                var flags = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2));
                var id = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
                var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(8));
                if (type == 2)
                {
                    if ((flags & 1) != 0)
                    {
                        await SendFrameAsync(2, 2, 0, length);
                    }
                    continue;
                }
                if (type == 3)
                {
                    return;
                }
                if ((flags & 1) != 0)
                {
                    if (id % 2 == 0)
                    {
                        throw new IOException($"a client must open odd stream ids, got {id}");
                    }
                    var stream = new StandInMuxStream(this, id);
                    _streams[id] = stream;
                    await SendFrameAsync(1, 2, id, 6 * 1024 * 1024 - 256 * 1024);
                    _ = Task.Run(() => onStream(stream));
                }
                _streams.TryGetValue(id, out var target);
                if (type == 1 && length > 0)
                {
                    target?.GrantSendWindow(length);
                }
                if (type == 0 && length > 0)
                {
                    var data = ArrayPool<byte>.Shared.Rent((int)length);
                    await _net.ReadExactlyAsync(data.AsMemory(0, (int)length));
                    if (target is null)
                    {
                        ArrayPool<byte>.Shared.Return(data);
                    }
                    else
                    {
                        target.Deliver(data, (int)length);
                    }
                }
                if ((flags & 4) != 0)
                {
                    target?.DeliverFin();
                }
                if ((flags & 8) != 0)
                {
                    target?.DeliverReset();
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
        }
        finally
        {
            Close();
        }
    }

    public void Close()
    {
        foreach (var stream in _streams.Values)
        {
            stream.DeliverReset();
        }
        _net.Dispose();
    }
}
