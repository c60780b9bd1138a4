using System.Text;
using Sidecar.Tunnels.Native.Compression;
using Sidecar.Tunnels.Native.Crypto;
using Sidecar.Tunnels.Native.Wire;

namespace Sidecar.Tests.Tunnels.Native.Crypto;

public sealed class FrpCryptoStreamTests
{
    [Theory]
    [InlineData("stcp-plain")]
    [InlineData("stcp-enc-comp")]
    [InlineData("sudp")]
    [InlineData("stcp-bad-secret")]
    public async Task ReadAsync_RecordedControlStream_DecryptsWithTokenToReqWorkConn(string scenario)
    {
        var transcript = FrpTranscript.Load(scenario);
        using var control = new MemoryStream(transcript.StreamData(1, FrpTranscript.ToVisitor, 1));
        var loginResp = await FrpMessageCodec.ReadAsync(control, CancellationToken.None);
        Assert.Equal(FrpMessageType.LoginResp, loginResp!.Value.Type);

        // Everything after LoginResp is AES-128-CFB with the token as password and salt "frp".
        using var decrypted = new FrpCryptoStream(control, FrpKey.Derive("test-token-1"), leaveOpen: true);
        var next = await FrpMessageCodec.ReadAsync(decrypted, CancellationToken.None);
        Assert.Equal(FrpMessageType.ReqWorkConn, next!.Value.Type);
        Assert.Equal("{}", Encoding.UTF8.GetString(next.Value.Body.Span));
    }

    [Fact]
    public async Task ReadAsync_WrongPassword_DoesNotYieldTheMessage()
    {
        var transcript = FrpTranscript.Load("stcp-plain");
        using var control = new MemoryStream(transcript.StreamData(1, FrpTranscript.ToVisitor, 1));
        await FrpMessageCodec.ReadAsync(control, CancellationToken.None);
        using var decrypted = new FrpCryptoStream(control, FrpKey.Derive("test-token-2"), leaveOpen: true);
        var outcome = await Record.ExceptionAsync(async () =>
        {
            var frame = await FrpMessageCodec.ReadAsync(decrypted, CancellationToken.None);
            Assert.NotEqual(FrpMessageType.ReqWorkConn, frame!.Value.Type);
        });
        Assert.True(outcome is null or FrpProtocolException, outcome?.ToString());
    }

    [Theory]
    [InlineData(FrpTranscript.ToFrps)]
    [InlineData(FrpTranscript.ToVisitor)]
    public async Task ReadAsync_RecordedEncryptedCompressedLeg_YieldsEchoedText(string dir)
    {
        var transcript = FrpTranscript.Load("stcp-enc-comp");
        using var leg = new MemoryStream(transcript.StreamData(1, dir, 5));
        if (dir == FrpTranscript.ToFrps)
        {
            Assert.Equal(FrpMessageType.NewVisitorConn, (await FrpMessageCodec.ReadAsync(leg, CancellationToken.None))!.Value.Type);
        }
        else
        {
            Assert.Equal(FrpMessageType.NewVisitorConnResp, (await FrpMessageCodec.ReadAsync(leg, CancellationToken.None))!.Value.Type);
        }
        // Compression over encryption (golib io): snappy frames inside AES-CFB keyed by the secret key.
        using var decrypted = new FrpCryptoStream(leg, FrpKey.Derive("test-secret-1"), leaveOpen: true);
        using var decompressed = new SnappyFrameStream(decrypted, leaveOpen: true);
        using var reader = new StreamReader(decompressed);
        Assert.Equal("hello frp stcp", await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task WriteAsync_ThenReadAsync_RoundTripsWithIvFirst()
    {
        var key = FrpKey.Derive("s3cret");
        using var wire = new MemoryStream();
        await using (var writer = new FrpCryptoStream(wire, key, leaveOpen: true))
        {
            await writer.WriteAsync("hello "u8.ToArray());
            await writer.WriteAsync("world"u8.ToArray());
        }
        Assert.Equal(16 + 11, wire.Length);
        Assert.DoesNotContain("hello", Encoding.Latin1.GetString(wire.ToArray()));
        wire.Position = 0;
        using var reader = new StreamReader(new FrpCryptoStream(wire, key));
        Assert.Equal("hello world", await reader.ReadToEndAsync());
    }

    [Fact]
    public void Derive_SameAsRecordedKeyUse_Is16Bytes()
    {
        Assert.Equal(16, FrpKey.Derive("test-token-1").Length);
        Assert.NotEqual(FrpKey.Derive("a"), FrpKey.Derive("b"));
    }
}
