using System.Buffers;
using System.Buffers.Binary;

namespace Sidecar.Tunnels.Native.Compression;

/// <summary>
/// snappy's framing format (framing_format.txt), which frp uses for useCompression (golib io WithCompression,
/// github.com/golang/snappy). Reading handles every chunk type a peer may send: compressed, uncompressed,
/// padding and skippable ones. Writing compresses each chunk (<see cref="SnappyEncoder"/>) and sends it
/// compressed when that saves at least 1/8, else as an uncompressed chunk, as golang/snappy's writer does.
/// </summary>
internal sealed class SnappyFrameStream(Stream inner, bool leaveOpen = false) : Stream
{
    /// <summary>The largest uncompressed payload of one chunk (framing_format.txt §4.2).</summary>
    public const int MaxBlock = 65536;

    /// <summary>Largest compressed chunk body we accept: the worst-case snappy expansion of 64 KiB plus the checksum.</summary>
    private const int MaxChunkBody = 4 + 32 + MaxBlock + MaxBlock / 6;

    private static readonly byte[] StreamIdentifier = [0xff, 0x06, 0x00, 0x00, (byte)'s', (byte)'N', (byte)'a', (byte)'P', (byte)'p', (byte)'Y'];

    private readonly byte[] _chunk = new byte[MaxChunkBody];
    private readonly byte[] _decoded = new byte[MaxBlock];
    private int _decodedOffset;
    private int _decodedCount;
    private bool _sentIdentifier;

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_decodedOffset == _decodedCount)
        {
            if (!await ReadChunkAsync(cancellationToken).ConfigureAwait(false))
            {
                return 0;
            }
        }
        var n = Math.Min(buffer.Length, _decodedCount - _decodedOffset);
        _decoded.AsSpan(_decodedOffset, n).CopyTo(buffer.Span);
        _decodedOffset += n;
        return n;
    }

    private async ValueTask<bool> ReadChunkAsync(CancellationToken cancellationToken)
    {
        var header = _chunk.AsMemory(0, 4);
        var got = await inner.ReadAtLeastAsync(header, 4, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (got == 0)
        {
            return false;
        }
        if (got < 4)
        {
            throw new InvalidDataException("snappy stream ended inside a chunk header");
        }
        var type = _chunk[0];
        var length = _chunk[1] | (_chunk[2] << 8) | (_chunk[3] << 16);
        if (length > MaxChunkBody)
        {
            throw new InvalidDataException($"snappy chunk of {length} bytes is over the format's limit");
        }
        var body = _chunk.AsMemory(0, length);
        await inner.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false);
        _decodedOffset = 0;
        _decodedCount = 0;
        switch (type)
        {
            case 0x00 or 0x01 when length < 4:
                throw new InvalidDataException("snappy data chunk shorter than its checksum");
            case 0x00:
                _decodedCount = SnappyBlock.Decode(_chunk.AsSpan(4, length - 4), _decoded);
                Verify(_chunk.AsSpan(0, 4), _decoded.AsSpan(0, _decodedCount));
                break;
            case 0x01:
                if (length - 4 > MaxBlock)
                {
                    throw new InvalidDataException("snappy uncompressed chunk over 64 KiB");
                }
                _chunk.AsSpan(4, length - 4).CopyTo(_decoded);
                _decodedCount = length - 4;
                Verify(_chunk.AsSpan(0, 4), _decoded.AsSpan(0, _decodedCount));
                break;
            case 0xff:
                if (!_chunk.AsSpan(0, length).SequenceEqual(StreamIdentifier.AsSpan(4)))
                {
                    throw new InvalidDataException("snappy stream identifier is not 'sNaPpY'");
                }
                break;
            case >= 0x02 and <= 0x7f:
                throw new InvalidDataException($"snappy chunk type 0x{type:x2} is reserved and unskippable");
            default:
                // 0x80-0xfd skippable, 0xfe padding: ignored by definition.
                break;
        }
        return true;
    }

    private static void Verify(ReadOnlySpan<byte> stored, ReadOnlySpan<byte> data)
    {
        if (BinaryPrimitives.ReadUInt32LittleEndian(stored) != SnappyChecksum.Masked(data))
        {
            throw new InvalidDataException("snappy chunk checksum mismatch");
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // Rented only while writing, so an idle leg holds no encoder buffers.
        var rented = ArrayPool<byte>.Shared.Rent(StreamIdentifier.Length + 8 + SnappyEncoder.MaxEncodedLength(Math.Min(buffer.Length, MaxBlock)));
        var table = ArrayPool<int>.Shared.Rent(SnappyEncoder.TableSize);
        try
        {
            do
            {
                var n = Math.Min(buffer.Length, MaxBlock);
                var length = Frame(buffer.Span[..n], rented, table);
                await inner.WriteAsync(rented.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                buffer = buffer[n..];
            }
            while (!buffer.IsEmpty);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(table);
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>One chunk (after the stream identifier if not yet sent) in <paramref name="output"/>; returns its length.</summary>
    private int Frame(ReadOnlySpan<byte> data, byte[] output, int[] table)
    {
        var prefix = 0;
        if (!_sentIdentifier)
        {
            StreamIdentifier.CopyTo(output, 0);
            prefix = StreamIdentifier.Length;
            _sentIdentifier = true;
        }
        var chunk = output.AsSpan(prefix);
        var compressed = SnappyEncoder.Encode(data, chunk[8..], table.AsSpan(0, SnappyEncoder.TableSize));
        int body;
        if (compressed < data.Length - data.Length / 8)
        {
            chunk[0] = 0x00;
            body = compressed;
        }
        else
        {
            chunk[0] = 0x01;
            data.CopyTo(chunk[8..]);
            body = data.Length;
        }
        var length = body + 4;
        chunk[1] = (byte)length;
        chunk[2] = (byte)(length >> 8);
        chunk[3] = (byte)(length >> 16);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk[4..], SnappyChecksum.Masked(data));
        return prefix + 8 + body;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
