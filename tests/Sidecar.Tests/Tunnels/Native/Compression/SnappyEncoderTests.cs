using System.Security.Cryptography;
using System.Text;
using Sidecar.Tunnels.Native.Compression;

namespace Sidecar.Tests.Tunnels.Native.Compression;

public sealed class SnappyEncoderTests
{
    public static TheoryData<string> Shapes => ["empty", "short", "text", "random", "zeros", "far-repeats", "mixed"];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Encode_ThenDecode_RoundTrips(string shape)
    {
        var input = Make(shape, new Random(shape.GetHashCode(StringComparison.Ordinal)));
        var decoded = RoundTrip(input, out _);
        Assert.Equal(input, decoded);
    }

    [Fact]
    public void Encode_RandomStructuredInputs_AlwaysDecodeToThemselves()
    {
        var random = new Random(12);
        for (var run = 0; run < 300; run++)
        {
            var input = new List<byte>();
            var target = random.Next(0, SnappyFrameStream.MaxBlock + 1);
            while (input.Count < target)
            {
                // Runs of fresh bytes and repeats of earlier bytes at every distance and length.
                if (input.Count > 0 && random.Next(2) == 0)
                {
                    var from = random.Next(input.Count);
                    var count = Math.Min(random.Next(1, 300), target - input.Count);
                    for (var k = 0; k < count; k++)
                    {
                        input.Add(input[from + k % (input.Count - from)]);
                    }
                }
                else
                {
                    var fresh = new byte[Math.Min(random.Next(1, 100), target - input.Count)];
                    random.NextBytes(fresh);
                    input.AddRange(fresh);
                }
            }
            var bytes = input.ToArray();
            Assert.Equal(bytes, RoundTrip(bytes, out _));
        }
    }

    [Theory]
    [InlineData("text", 4)]
    [InlineData("zeros", 20)]
    public void Encode_RepetitiveInput_ShrinksByAtLeast(string shape, int factor)
    {
        var input = Make(shape, new Random(1));
        RoundTrip(input, out var encodedLength);
        Assert.True(encodedLength * factor < input.Length, $"{input.Length} -> {encodedLength}");
    }

    [Fact]
    public void Encode_Incompressible_StaysWithinWorstCase()
    {
        var input = RandomNumberGenerator.GetBytes(SnappyFrameStream.MaxBlock);
        RoundTrip(input, out var encodedLength);
        Assert.InRange(encodedLength, input.Length, SnappyEncoder.MaxEncodedLength(input.Length));
    }

    private static byte[] RoundTrip(byte[] input, out int encodedLength)
    {
        var encoded = new byte[SnappyEncoder.MaxEncodedLength(input.Length)];
        encodedLength = SnappyEncoder.Encode(input, encoded, new int[SnappyEncoder.TableSize]);
        var output = new byte[SnappyFrameStream.MaxBlock];
        var n = SnappyBlock.Decode(encoded.AsSpan(0, encodedLength), output);
        return output[..n];
    }

    private static byte[] Make(string shape, Random random)
    {
        switch (shape)
        {
            case "empty":
                return [];
            case "short":
                return "hello"u8.ToArray();
            case "text":
                var text = new StringBuilder();
                while (text.Length < 60_000)
                {
                    text.Append("GET /api/v1/namespaces/default/pods?limit=").Append(random.Next(1000)).Append(" HTTP/1.1\r\n");
                }
                return Encoding.ASCII.GetBytes(text.ToString());
            case "random":
                var bytes = new byte[65_536];
                random.NextBytes(bytes);
                return bytes;
            case "zeros":
                return new byte[65_536];
            case "far-repeats":
                // A 3 KB random block repeated: copies with offsets past 2048 (2-byte-offset copies).
                var block = new byte[3000];
                random.NextBytes(block);
                return [.. block, .. block, .. block, .. block];
            default:
                var mixed = new byte[65_536];
                random.NextBytes(mixed);
                for (var i = 0; i < mixed.Length; i += 1000)
                {
                    mixed.AsSpan(i, Math.Min(500, mixed.Length - i)).Fill((byte)i);
                }
                return mixed;
        }
    }
}
