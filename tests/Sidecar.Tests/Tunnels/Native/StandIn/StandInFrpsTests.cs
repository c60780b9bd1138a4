using System.Text;

namespace Sidecar.Tests.Tunnels.Native.StandIn;

/// <summary>The stand-in frps answers the recorded frpc bytes the way the real frps 0.61.2 did.</summary>
public sealed class StandInFrpsTests
{
    [Fact]
    public async Task Login_RecordedWrongToken_AnsweredAsRealFrpsDid()
    {
        var transcript = FrpTranscript.Load("login-bad-token");
        await using var frps = new StandInFrps("test-token-1");
        frps.Start();
        using var client = await TestNet.ConnectAsync(frps.EndPoint);
        await client.SendAsync(transcript.Bytes(1, FrpTranscript.ToFrps));

        // Byte-identical to what the real frps sent: ACK raising the window, LoginResp with the error, FIN.
        var expected = transcript.Bytes(1, FrpTranscript.ToVisitor);
        await using var stream = new System.Net.Sockets.NetworkStream(client);
        var got = new byte[expected.Length];
        await stream.ReadExactlyAsync(got).AsTask().WaitAsync(TestNet.Patience);
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(got));
        Assert.Equal(1, frps.RefusedLogins);
    }

    [Fact]
    public async Task Login_RecordedGoodToken_AnsweredWithRunIdOfRecordedShape()
    {
        var transcript = FrpTranscript.Load("stcp-plain");
        await using var frps = new StandInFrps("test-token-1");
        frps.Start();
        using var client = await TestNet.ConnectAsync(frps.EndPoint);
        var loginFrames = transcript.Chunks.Where(c => c.Dir == FrpTranscript.ToFrps).Take(1).Single().Bytes;
        await client.SendAsync(loginFrames);

        var recorded = transcript.Frames(1, FrpTranscript.ToVisitor);
        await using var stream = new System.Net.Sockets.NetworkStream(client);
        var header = new byte[12];
        await stream.ReadExactlyAsync(header).AsTask().WaitAsync(TestNet.Patience);
        Assert.Equal(Convert.ToHexString(Convert.FromHexString("0001000200000001005c0000")), Convert.ToHexString(header));
        await stream.ReadExactlyAsync(header).AsTask().WaitAsync(TestNet.Patience);
        var body = new byte[recorded[1].Length];
        await stream.ReadExactlyAsync(body).AsTask().WaitAsync(TestNet.Patience);
        Assert.Equal(recorded[1].Length, (uint)body.Length);
        Assert.Matches("^1\0{7}0\\{\"version\":\"0.61.2\",\"run_id\":\"[0-9a-f]{16}\"\\}$", Encoding.Latin1.GetString(body));
        Assert.Equal(1, frps.Logins);
    }
}
