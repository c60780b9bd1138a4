using System.Security.Cryptography;
using System.Text;
using Sidecar.Tunnels.Native.Compression;

namespace Sidecar.Tests.Tunnels.Native.Compression;

public sealed class SnappyFrameStreamTests
{
    [Fact]
    public void Crc32C_StandardCheckValue_Matches()
    {
        // The CRC-32C check value of "123456789" (RFC 3720 B.4 uses the same polynomial).
        Assert.Equal(0xE3069283u, SnappyChecksum.Crc32C("123456789"u8));
    }

    [Fact]
    public async Task WriteAsync_ThenReadAsync_RoundTripsLargerThanOneChunk()
    {
        var data = RandomNumberGenerator.GetBytes(200_000);
        using var wire = new MemoryStream();
        await using (var writer = new SnappyFrameStream(wire, leaveOpen: true))
        {
            await writer.WriteAsync(data);
        }
        Assert.Equal("FF060000734E61507059", Convert.ToHexString(wire.ToArray(), 0, 10));
        wire.Position = 0;
        using var copy = new MemoryStream();
        await new SnappyFrameStream(wire).CopyToAsync(copy);
        Assert.Equal(data, copy.ToArray());
    }

    [Fact]
    public async Task WriteAsync_RepetitiveData_SendsCompressedChunksThatReadBack()
    {
        var data = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("SET key value\r\n", 20_000)));
        using var wire = new MemoryStream();
        await using (var writer = new SnappyFrameStream(wire, leaveOpen: true))
        {
            await writer.WriteAsync(data);
        }
        var bytes = wire.ToArray();
        Assert.True(bytes.Length * 10 < data.Length, $"{data.Length} -> {bytes.Length}");
        Assert.Equal(0x00, bytes[Identifier.Length]); // a compressed chunk (type 0x00)
        wire.Position = 0;
        using var copy = new MemoryStream();
        await new SnappyFrameStream(wire).CopyToAsync(copy);
        Assert.Equal(data, copy.ToArray());
    }

    [Fact]
    public async Task ReadAsync_CompressedChunkWithBackReference_Decodes()
    {
        // "abcabcabcabc": literal "abc", then a 1-byte-offset copy of 9 bytes at offset 3 (overlapping).
        byte[] block = [12, 0x08, (byte)'a', (byte)'b', (byte)'c', 0x15, 0x03];
        var chunk = Chunk(0x00, block, Encoding.ASCII.GetBytes("abcabcabcabc"));
        using var wire = new MemoryStream([.. Identifier, .. chunk]);
        using var reader = new StreamReader(new SnappyFrameStream(wire));
        Assert.Equal("abcabcabcabc", await reader.ReadToEndAsync());
    }

    [Theory]
    [InlineData("bad-checksum")]
    [InlineData("reserved-type")]
    [InlineData("offset-outside")]
    public async Task ReadAsync_MalformedStream_ThrowsInvalidData(string kind)
    {
        byte[] chunk = kind switch
        {
            "bad-checksum" => [0x01, 0x07, 0x00, 0x00, 1, 2, 3, 4, (byte)'x', (byte)'y', (byte)'z'],
            "reserved-type" => [0x05, 0x01, 0x00, 0x00, 0],
            _ => Chunk(0x00, [12, 0x08, (byte)'a', (byte)'b', (byte)'c', 0x15, 0x09], Encoding.ASCII.GetBytes("abcabcabcabc")),
        };
        using var wire = new MemoryStream([.. Identifier, .. chunk]);
        var stream = new SnappyFrameStream(wire);
        await Assert.ThrowsAsync<InvalidDataException>(async () => await stream.ReadAtLeastAsync(new byte[64], 1));
    }

    private static readonly byte[] Identifier = Convert.FromHexString("FF060000734E61507059");

    private static byte[] Chunk(byte type, byte[] body, byte[] uncompressed)
    {
        var length = body.Length + 4;
        var crc = BitConverter.GetBytes(SnappyChecksum.Masked(uncompressed));
        return [type, (byte)length, (byte)(length >> 8), (byte)(length >> 16), .. crc, .. body];
    }
}
