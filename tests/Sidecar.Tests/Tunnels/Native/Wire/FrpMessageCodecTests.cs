using System.Text;
using System.Text.Json.Nodes;
using Sidecar.Tunnels.Native.Wire;

namespace Sidecar.Tests.Tunnels.Native.Wire;

public sealed class FrpMessageCodecTests
{
    private static readonly FrpWireJsonContext Json = FrpWireJsonContext.Default;

    public static TheoryData<string> Scenarios => new(FrpTranscript.Scenarios);

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task ReadAsync_EveryPlainStreamOfRecording_DecodesToKnownMessages(string scenario)
    {
        var transcript = FrpTranscript.Load(scenario);
        var decoded = 0;
        foreach (var conn in transcript.Connections)
        {
            foreach (var dir in new[] { FrpTranscript.ToFrps, FrpTranscript.ToVisitor })
            {
                foreach (var id in transcript.Frames(conn, dir).Select(f => f.StreamId).Distinct())
                {
                    var data = transcript.StreamData(conn, dir, id);
                    using var stream = new MemoryStream(data);
                    // The control stream's first message is in clear; the rest is encrypted (Crypto tests).
                    var frame = await FrpMessageCodec.ReadAsync(stream, CancellationToken.None);
                    if (frame is null)
                    {
                        continue;
                    }
                    DecodeAny(frame.Value);
                    decoded++;
                    if (frame.Value.Type == FrpMessageType.UdpPacket)
                    {
                        while (await FrpMessageCodec.ReadAsync(stream, CancellationToken.None) is { } more)
                        {
                            DecodeAny(more);
                            decoded++;
                        }
                    }
                }
            }
        }
        Assert.True(decoded >= 2, $"{decoded} messages decoded");
    }

    [Fact]
    public async Task Decode_RecordedReplies_CarryRunIdAndErrors()
    {
        var plain = FrpTranscript.Load("stcp-plain");
        var loginResp = await FirstAsync(plain.StreamData(1, FrpTranscript.ToVisitor, 1));
        Assert.Equal("26e36704017e591c", FrpMessageCodec.Decode(loginResp, FrpMessageType.LoginResp, Json.LoginRespMessage).RunId);

        var badToken = FrpTranscript.Load("login-bad-token");
        var refused = await FirstAsync(badToken.StreamData(1, FrpTranscript.ToVisitor, 1));
        Assert.Equal("token in login doesn't match token from configuration",
            FrpMessageCodec.Decode(refused, FrpMessageType.LoginResp, Json.LoginRespMessage).Error);

        var badSecret = FrpTranscript.Load("stcp-bad-secret");
        var denied = await FirstAsync(badSecret.StreamData(1, FrpTranscript.ToVisitor, 5));
        Assert.Equal("visitor connection of [redis.abc] auth failed",
            FrpMessageCodec.Decode(denied, FrpMessageType.NewVisitorConnResp, Json.NewVisitorConnRespMessage).Error);

        var sudp = FrpTranscript.Load("sudp");
        var packet = FrpMessageCodec.Decode(await FirstAsync(sudp.StreamData(1, FrpTranscript.ToVisitor, 5), skip: 1),
            FrpMessageType.UdpPacket, Json.UdpPacketMessage);
        Assert.Equal("hello frp sudp", Encoding.UTF8.GetString(Convert.FromBase64String(packet.Content!)));
        Assert.Equal(("127.0.0.1", 57580), (packet.RemoteAddr!.IP, packet.RemoteAddr.Port));
    }

    [Fact]
    public void Encode_NewVisitorConn_HasRecordedShape()
    {
        var recorded = FrpTranscript.Load("stcp-enc-comp").StreamData(1, FrpTranscript.ToFrps, 5);
        var message = new NewVisitorConnMessage
        {
            RunId = "045f4232c9bd4299", ProxyName = "redis.abc", SignKey = "82e94833ec1380df8b89cd19ad28a5d0",
            Timestamp = 1795975371, UseEncryption = true, UseCompression = true,
        };
        var frame = FrpMessageCodec.Encode(FrpMessageType.NewVisitorConn, message, Json.NewVisitorConnMessage);
        // Same keys in the same order as frpc's Go struct: byte-identical.
        Assert.Equal(Convert.ToHexString(recorded, 0, frame.Length), Convert.ToHexString(frame));
    }

    [Fact]
    public void Encode_UdpPacket_MatchesRecordedBytes()
    {
        var recorded = FrpTranscript.Load("sudp").StreamData(1, FrpTranscript.ToFrps, 5);
        var message = new UdpPacketMessage
        {
            Content = Convert.ToBase64String("hello frp sudp"u8),
            RemoteAddr = new UdpAddressJson { IP = "127.0.0.1", Port = 57580 },
        };
        var frame = FrpMessageCodec.Encode(FrpMessageType.UdpPacket, message, Json.UdpPacketMessage);
        Assert.Equal(Encoding.UTF8.GetString(recorded.AsSpan(recorded.Length - frame.Length)), Encoding.UTF8.GetString(frame));
    }

    [Fact]
    public void Encode_Login_OmitsZeroValuesLikeGo()
    {
        var frame = FrpMessageCodec.Encode(FrpMessageType.Login,
            new LoginMessage { Version = "0.61.2", PrivilegeKey = "k", Timestamp = 5 }, Json.LoginMessage);
        var body = JsonNode.Parse(frame.AsSpan(9))!.AsObject();
        Assert.Equal(["version", "privilege_key", "timestamp"], body.Select(p => p.Key));
        Assert.Equal((byte)'o', frame[0]);
        Assert.Equal(frame.Length - 9, (int)System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(frame.AsSpan(1)));
    }

    [Theory]
    [InlineData("6f0000000000002801")] // 10241 bytes: over frp's limit
    [InlineData("6fffffffffffffffff")] // negative
    public async Task ReadAsync_LengthOutOfRange_ThrowsProtocolError(string header)
    {
        using var stream = new MemoryStream(Convert.FromHexString(header));
        await Assert.ThrowsAsync<FrpProtocolException>(async () => await FrpMessageCodec.ReadAsync(stream, CancellationToken.None));
    }

    [Fact]
    public async Task ReadAsync_TruncatedBody_ThrowsProtocolError()
    {
        using var stream = new MemoryStream(Convert.FromHexString("31000000000000000a7b7d"));
        await Assert.ThrowsAsync<FrpProtocolException>(async () => await FrpMessageCodec.ReadAsync(stream, CancellationToken.None));
    }

    [Fact]
    public void Decode_WrongTypeOrBadJson_ThrowsProtocolError()
    {
        var pong = new FrpFrame(FrpMessageType.Pong, "{}"u8.ToArray());
        Assert.Throws<FrpProtocolException>(() => FrpMessageCodec.Decode(pong, FrpMessageType.LoginResp, Json.LoginRespMessage));
        var broken = new FrpFrame(FrpMessageType.LoginResp, "{\"run_id\":"u8.ToArray());
        Assert.Throws<FrpProtocolException>(() => FrpMessageCodec.Decode(broken, FrpMessageType.LoginResp, Json.LoginRespMessage));
    }

    private static async Task<FrpFrame> FirstAsync(byte[] data, int skip = 0)
    {
        using var stream = new MemoryStream(data);
        for (var i = 0; i < skip; i++)
        {
            await FrpMessageCodec.ReadAsync(stream, CancellationToken.None);
        }
        return (await FrpMessageCodec.ReadAsync(stream, CancellationToken.None))!.Value;
    }

    private static void DecodeAny(FrpFrame frame)
    {
        _ = frame.Type switch
        {
            FrpMessageType.Login => (object)FrpMessageCodec.Decode(frame, frame.Type, Json.LoginMessage),
            FrpMessageType.LoginResp => FrpMessageCodec.Decode(frame, frame.Type, Json.LoginRespMessage),
            FrpMessageType.NewWorkConn => FrpMessageCodec.Decode(frame, frame.Type, Json.NewWorkConnMessage),
            FrpMessageType.NewVisitorConn => FrpMessageCodec.Decode(frame, frame.Type, Json.NewVisitorConnMessage),
            FrpMessageType.NewVisitorConnResp => FrpMessageCodec.Decode(frame, frame.Type, Json.NewVisitorConnRespMessage),
            FrpMessageType.UdpPacket => FrpMessageCodec.Decode(frame, frame.Type, Json.UdpPacketMessage),
            _ => throw new Xunit.Sdk.XunitException($"unexpected first message {frame}"),
        };
    }
}
