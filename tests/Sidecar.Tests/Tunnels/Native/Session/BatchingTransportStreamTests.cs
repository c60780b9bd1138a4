using Sidecar.Tunnels.Native.Session;
using Sidecar.Tunnels.Native.Yamux;

namespace Sidecar.Tests.Tunnels.Native.Session;

public sealed class BatchingTransportStreamTests
{
    [Fact]
    public async Task WriteAsync_BeforeCoalescing_EachWriteGoesOut()
    {
        var inner = new CountingStream();
        await using var stream = new BatchingTransportStream(inner);

        await stream.WriteAsync("hello"u8.ToArray());
        await stream.WriteAsync("tls"u8.ToArray());

        Assert.Equal(2, inner.Writes);
        Assert.Equal("hellotls"u8.ToArray(), inner.Written.ToArray());
    }

    [Fact]
    public async Task WriteAsync_Coalescing_RecordsOfAFrameLeaveInOneWriteAtFlush()
    {
        var inner = new CountingStream();
        await using var stream = new BatchingTransportStream(inner);
        stream.CoalesceWrites();
        // The largest frame we send (12-byte header + MaxFramePayload) as TLS 1.2 AES-GCM records: 16 KiB of
        // plaintext at most in each, 29 bytes of overhead.
        var frame = 12 + new YamuxOptions().MaxFramePayload;
        var records = new List<byte[]>();
        for (var left = frame; left > 0; left -= 16 * 1024)
        {
            var record = new byte[Math.Min(left, 16 * 1024) + 29];
            Random.Shared.NextBytes(record);
            records.Add(record);
        }

        foreach (var record in records)
        {
            await stream.WriteAsync(record);
        }
        Assert.Equal(0, inner.Writes);
        await stream.FlushAsync();

        Assert.Equal(1, inner.Writes);
        Assert.Equal(records.SelectMany(r => r).ToArray(), inner.Written.ToArray());
    }

    [Fact]
    public async Task WriteAsync_CoalescingPastTheBatch_PendingSentFirstAndOrderKept()
    {
        var inner = new CountingStream();
        await using var stream = new BatchingTransportStream(inner);
        stream.CoalesceWrites();
        var small = new byte[] { 1, 2, 3 };
        var large = Enumerable.Repeat((byte)7, 200 * 1024).ToArray();

        await stream.WriteAsync(small);
        await stream.WriteAsync(large);
        await stream.FlushAsync();

        Assert.Equal(2, inner.Writes);
        Assert.Equal(small.Concat(large).ToArray(), inner.Written.ToArray());
    }

    [Fact]
    public async Task ReadAsync_SmallReads_ServedFromOneReceive()
    {
        var data = Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray();
        var inner = new CountingStream(data);
        await using var stream = new BatchingTransportStream(inner);

        var header = new byte[12];
        await stream.ReadExactlyAsync(header);
        var rest = new byte[data.Length - 12];
        await stream.ReadExactlyAsync(rest);

        Assert.Equal(data, header.Concat(rest).ToArray());
        Assert.Equal(1, inner.NonEmptyReads);
        Assert.Equal(0, await stream.ReadAsync(new byte[10]));
    }

    /// <summary>An in-memory stream that counts the reads and writes reaching it.</summary>
    private sealed class CountingStream(byte[]? readable = null) : Stream
    {
        private readonly MemoryStream _source = new(readable ?? []);

        public MemoryStream Written { get; } = new();
        public int Writes { get; private set; }
        public int NonEmptyReads { get; private set; }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            NonEmptyReads += buffer.IsEmpty ? 0 : 1;
            return ValueTask.FromResult(_source.Read(buffer.Span));
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes++;
            Written.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
