using System.Text.Json;
using Sidecar.Tunnels.Native.Wire;

namespace Sidecar.Tests.Tunnels.Native.Wire;

public sealed class FrpAuthKeyTests
{
    // Token and secret of each recording, from its visitor TOML (Data/frp-0.61.2/<scenario>.toml).
    [Theory]
    [InlineData("stcp-plain", "test-token-1", "test-secret-1")]
    [InlineData("stcp-enc-comp", "test-token-1", "test-secret-1")]
    [InlineData("sudp", "test-token-1", "test-secret-2")]
    [InlineData("stcp-bad-secret", "test-token-1", "wrong-secret")]
    [InlineData("login-bad-token", "wrong-token", null)]
    public void Compute_RecordedTimestamps_MatchRecordedKeys(string scenario, string token, string? secret)
    {
        var transcript = FrpTranscript.Load(scenario);
        var checkedKeys = 0;
        foreach (var conn in transcript.Connections)
        {
            foreach (var body in MessageBodies(transcript, conn))
            {
                using var doc = JsonDocument.Parse(body.AsMemory(9, (int)System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(body.AsSpan(1))));
                var root = doc.RootElement;
                if (body[0] == (byte)'o')
                {
                    Assert.Equal(root.GetProperty("privilege_key").GetString(),
                        FrpAuthKey.Compute(token, root.GetProperty("timestamp").GetInt64()));
                    checkedKeys++;
                }
                else if (body[0] == (byte)'v')
                {
                    Assert.Equal(root.GetProperty("sign_key").GetString(),
                        FrpAuthKey.Compute(secret!, root.GetProperty("timestamp").GetInt64()));
                    checkedKeys++;
                }
            }
        }
        Assert.True(checkedKeys >= 1, "the recording holds at least one keyed message");
    }

    [Fact]
    public void Compute_OtherSecret_DiffersAndIsLowercaseHex()
    {
        var key = FrpAuthKey.Compute("test-token-1", 1795975359);
        Assert.Equal("13df842ae47557e5ebfc1f2b9a64fbee", key);
        Assert.NotEqual(key, FrpAuthKey.Compute("test-token-2", 1795975359));
        Assert.NotEqual(key, FrpAuthKey.Compute("test-token-1", 1795975360));
    }

    /// <summary>The first frp message of every visitor-sent stream (all unencrypted in these recordings).</summary>
    private static IEnumerable<byte[]> MessageBodies(FrpTranscript transcript, int conn) =>
        transcript.Frames(conn, FrpTranscript.ToFrps)
            .Where(f => f.Type == 0).Select(f => f.StreamId).Distinct()
            .Select(id => transcript.StreamData(conn, FrpTranscript.ToFrps, id))
            .Where(d => d.Length > 9 && (d[0] == (byte)'o' || d[0] == (byte)'v'));
}
