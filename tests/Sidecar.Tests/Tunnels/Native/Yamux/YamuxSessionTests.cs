using System.Text;
using Microsoft.Extensions.Time.Testing;
using Sidecar.Tunnels.Native.Yamux;

namespace Sidecar.Tests.Tunnels.Native.Yamux;

public sealed class YamuxSessionTests
{
    private static readonly YamuxOptions NoKeepAlive = new() { KeepAliveInterval = TimeSpan.Zero };

    [Fact]
    public async Task OpenStreamAsync_FirstFrames_MatchRecordedFrpc()
    {
        var recorded = FrpTranscript.Load("stcp-plain").Frames(1, FrpTranscript.ToFrps);
        await using var peer = await RawPeer.ConnectAsync();
        await using var session = new YamuxSession(peer.Client, NoKeepAlive, TimeProvider.System);
        session.Start();

        var stream = await session.OpenStreamAsync(CancellationToken.None);
        await stream.WriteAsync(recorded[1].Payload);

        var syn = await peer.ReadFrameAsync();
        Assert.Equal((recorded[0].Type, recorded[0].Flags, recorded[0].StreamId, recorded[0].Length), (syn.Type, syn.Flags, syn.StreamId, syn.Length));
        var data = await peer.ReadFrameAsync();
        Assert.Equal((byte)0, data.Type);
        Assert.Equal(1u, data.StreamId);
        Assert.Equal(recorded[1].Payload, data.Payload);
        Assert.Equal(3u, (await session.OpenStreamAsync(CancellationToken.None)).Id);
    }

    [Fact]
    public async Task ReadAsync_RecordedFrpsBytes_DemultiplexToTheRightStreamsWithFin()
    {
        var transcript = FrpTranscript.Load("stcp-plain");
        await using var peer = await RawPeer.ConnectAsync();
        await using var session = new YamuxSession(peer.Client, NoKeepAlive, TimeProvider.System);
        session.Start();
        var control = await session.OpenStreamAsync(CancellationToken.None);
        await session.OpenStreamAsync(CancellationToken.None);
        var visitor = await session.OpenStreamAsync(CancellationToken.None);

        // Replay frps's side exactly as the relay saw it, chunk by chunk (frames split and merged as recorded).
        foreach (var chunk in transcript.Chunks.Where(c => c.Dir == FrpTranscript.ToVisitor && c.Bytes.Length > 0))
        {
            await peer.Server.WriteAsync(chunk.Bytes);
        }

        var controlExpected = transcript.StreamData(1, FrpTranscript.ToVisitor, 1);
        var controlGot = new byte[controlExpected.Length];
        await control.ReadExactlyAsync(controlGot);
        Assert.Equal(controlExpected, controlGot);

        using var reader = new MemoryStream();
        using var timeout = new CancellationTokenSource(TestNet.Patience);
        await visitor.CopyToAsync(reader, timeout.Token); // ends at frps's FIN
        Assert.EndsWith("hello frp stcp", Encoding.UTF8.GetString(reader.ToArray()));
        Assert.Equal(transcript.StreamData(1, FrpTranscript.ToVisitor, 5), reader.ToArray());
    }

    [Fact]
    public async Task ReadAsync_FrameLargerThanAReceiveBlock_ArrivesWholeAndBlocksAreReleasedOnceRead()
    {
        var time = new FakeTimeProvider();
        await using var peer = await RawPeer.ConnectAsync();
        await using var session = new YamuxSession(peer.Client, NoKeepAlive, time);
        session.Start();
        var stream = await session.OpenStreamAsync(CancellationToken.None);
        await peer.ReadFrameAsync(); // SYN with the window raised to 6 MiB
        var payload = new byte[ReceiveBufferPool.BlockSize * 3 + 100];
        Random.Shared.NextBytes(payload);

        await peer.SendFrameAsync(0, 0, stream.Id, (uint)payload.Length, payload);
        var got = new byte[payload.Length];
        using var timeout = new CancellationTokenSource(TestNet.Patience);
        await stream.ReadExactlyAsync(got, timeout.Token);

        Assert.Equal(payload, got);
        Assert.Equal(4, session.ReceiveBlocks);
        time.Advance(ReceiveBufferPool.TrimPeriod * 2); // read, then unused for a whole period: unmapped
        Assert.Equal(0, session.ReceiveBlocks);
    }

    [Fact]
    public async Task Session_PingFromFrps_IsAnsweredWithSameValue()
    {
        await using var peer = await RawPeer.ConnectAsync();
        await using var session = new YamuxSession(peer.Client, NoKeepAlive, TimeProvider.System);
        session.Start();
        await peer.SendFrameAsync(2, 1, 0, 0xC0FFEE);
        var pong = await peer.ReadFrameAsync();
        Assert.Equal(((byte)2, (ushort)2, 0xC0FFEEu), (pong.Type, pong.Flags, pong.Length));
    }

    [Fact]
    public async Task WriteAsync_MoreThanInitialWindow_WaitsForWindowUpdate()
    {
        await using var peer = await RawPeer.ConnectAsync();
        await using var session = new YamuxSession(peer.Client, NoKeepAlive, TimeProvider.System);
        session.Start();
        var stream = await session.OpenStreamAsync(CancellationToken.None);
        await peer.ReadFrameAsync(); // SYN
        var big = new byte[YamuxOptions.InitialWindow + 1000];
        var write = stream.WriteAsync(big).AsTask();

        long received = 0;
        while (received < YamuxOptions.InitialWindow)
        {
            received += (await peer.ReadFrameAsync()).Payload.Length;
        }
        Assert.Equal(YamuxOptions.InitialWindow, received);
        await Task.Delay(200);
        Assert.False(write.IsCompleted, "the writer waits for window beyond the initial 256 KiB");

        await peer.SendFrameAsync(1, 0, stream.Id, 1000);
        Assert.Equal(1000, (await peer.ReadFrameAsync()).Payload.Length);
        await write.WaitAsync(TestNet.Patience);
    }

    [Fact]
    public async Task Session_DataBeyondGrantedWindow_EndsSessionAsProtocolError()
    {
        await using var peer = await RawPeer.ConnectAsync();
        await using var session = new YamuxSession(peer.Client, NoKeepAlive with { MaxStreamWindow = YamuxOptions.InitialWindow }, TimeProvider.System);
        session.Start();
        var stream = await session.OpenStreamAsync(CancellationToken.None);
        await peer.SendFrameAsync(0, 0, stream.Id, YamuxOptions.InitialWindow + 1, new byte[YamuxOptions.InitialWindow + 1]);
        await Assert.ThrowsAsync<YamuxProtocolException>(() => session.Completion.WaitAsync(TestNet.Patience));
        await Assert.ThrowsAnyAsync<IOException>(async () => await stream.ReadAtLeastAsync(new byte[1], 1));
    }

    [Fact]
    public async Task Session_BadVersionByte_EndsSession()
    {
        await using var peer = await RawPeer.ConnectAsync();
        await using var session = new YamuxSession(peer.Client, NoKeepAlive, TimeProvider.System);
        session.Start();
        await peer.Server.WriteAsync("HTTP/1.1 400 Bad"u8.ToArray());
        var error = await Assert.ThrowsAsync<YamuxProtocolException>(() => session.Completion.WaitAsync(TestNet.Patience));
        Assert.Contains("version", error.Message);
    }

    [Fact]
    public async Task Stream_ResetByFrps_ReadThrows()
    {
        await using var peer = await RawPeer.ConnectAsync();
        await using var session = new YamuxSession(peer.Client, NoKeepAlive, TimeProvider.System);
        session.Start();
        var stream = await session.OpenStreamAsync(CancellationToken.None);
        await peer.SendFrameAsync(1, 8, stream.Id, 0);
        await Assert.ThrowsAnyAsync<IOException>(async () => await stream.ReadAtLeastAsync(new byte[1], 1).AsTask().WaitAsync(TestNet.Patience));
    }

    [Fact]
    public async Task Session_StreamOpenedByFrps_IsRefusedWithRst()
    {
        await using var peer = await RawPeer.ConnectAsync();
        await using var session = new YamuxSession(peer.Client, NoKeepAlive, TimeProvider.System);
        session.Start();
        await peer.SendFrameAsync(1, 1, 2, 0);
        var reply = await peer.ReadFrameAsync();
        Assert.Equal(((byte)1, (ushort)8, 2u), (reply.Type, reply.Flags, reply.StreamId));
    }

    [Fact]
    public async Task DisposeAsync_AfterBothFins_SendsFinNotRst()
    {
        await using var peer = await RawPeer.ConnectAsync();
        await using var session = new YamuxSession(peer.Client, NoKeepAlive, TimeProvider.System);
        session.Start();
        var stream = await session.OpenStreamAsync(CancellationToken.None);
        await peer.ReadFrameAsync();
        await stream.CloseWriteAsync(CancellationToken.None);
        Assert.Equal((ushort)4, (await peer.ReadFrameAsync()).Flags);
        await peer.SendFrameAsync(1, 4, stream.Id, 0);
        Assert.Equal(0, await stream.ReadAsync(new byte[1]).AsTask().WaitAsync(TestNet.Patience));
        await stream.DisposeAsync();
        await session.DisposeAsync();
        Assert.Equal((byte)3, (await peer.ReadFrameAsync()).Type); // GoAway, no RST before it
    }

    [Fact]
    public async Task KeepAlive_FrpsSilent_EndsSessionAfterTimeout()
    {
        var time = new FakeTimeProvider();
        await using var peer = await RawPeer.ConnectAsync();
        await using var session = new YamuxSession(peer.Client, new YamuxOptions(), time);
        session.Start();
        await Support.Eventually.TrueAsync(() => { time.Advance(TimeSpan.FromSeconds(1)); return session.IsClosed; },
            "the session ends without keepalive answers", TestNet.Patience);
        var ping = await peer.ReadFrameAsync();
        Assert.Equal(((byte)2, (ushort)1), (ping.Type, ping.Flags));
        await Assert.ThrowsAsync<YamuxProtocolException>(() => session.Completion);
    }

    [Fact]
    public async Task WriteFrameAsync_TransportStuckPastWriteTimeout_SessionEndsAndWriteFails()
    {
        var time = new FakeTimeProvider();
        var transport = new StallingStream();
        await using var session = new YamuxSession(transport, NoKeepAlive, time);
        session.Start();

        var open = session.OpenStreamAsync(CancellationToken.None).AsTask(); // its SYN never leaves
        await Support.Eventually.TrueAsync(() => { time.Advance(TimeSpan.FromSeconds(1)); return open.IsCompleted; },
            "the stuck write is given up", TestNet.Patience);

        var error = await Assert.ThrowsAsync<YamuxProtocolException>(() => open);
        Assert.Contains("did not complete within 10 s", error.Message);
        await Assert.ThrowsAsync<YamuxProtocolException>(() => session.Completion);
        Assert.True(transport.Disposed);
    }

    /// <summary>A connection whose writes (and reads) never complete until it is disposed: a peer that stopped reading.</summary>
    private sealed class StallingStream : Stream
    {
        private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Disposed => _disposed.Task.IsCompleted;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await _disposed.Task.WaitAsync(cancellationToken);
            throw new ObjectDisposedException(nameof(StallingStream));
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await _disposed.Task.WaitAsync(cancellationToken);
            throw new ObjectDisposedException(nameof(StallingStream));
        }

        protected override void Dispose(bool disposing)
        {
            _disposed.TrySetResult();
            base.Dispose(disposing);
        }

        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
