using System.Buffers.Binary;

namespace Sidecar.Tunnels.Native.Compression;

/// <summary>
/// Encoder of one snappy block (format_description.txt): a varint length, then literals and copies found
/// with a hash table of 4-byte sequences, greedy, skipping faster through data that does not match (so
/// incompressible input costs little). Written from the format description; any conforming decoder,
/// <see cref="SnappyBlock"/> and golang/snappy's alike, reads its output.
/// </summary>
internal static class SnappyEncoder
{
    /// <summary>Hash table entries: 2^14, as the reference implementation uses for 64 KiB blocks.</summary>
    public const int TableSize = 1 << 14;

    /// <summary>The worst case for <paramref name="length"/> input bytes (snappy's MaxCompressedLength).</summary>
    public static int MaxEncodedLength(int length) => 32 + length + length / 6;

    /// <summary>
    /// Encodes <paramref name="input"/> (at most 64 KiB, so every offset fits a 2-byte copy) into
    /// <paramref name="output"/> (at least <see cref="MaxEncodedLength"/>); <paramref name="table"/> is scratch
    /// of <see cref="TableSize"/> entries. Returns the encoded length.
    /// </summary>
    public static int Encode(ReadOnlySpan<byte> input, Span<byte> output, Span<int> table)
    {
        var o = WriteLength(output, input.Length);
        var literalStart = 0;
        if (input.Length >= 16)
        {
            table.Fill(-1);
            var i = 0;
            var last = input.Length - 4;
            while (i <= last)
            {
                var current = BinaryPrimitives.ReadUInt32LittleEndian(input[i..]);
                var slot = (int)((current * 0x1e35a7bdu) >> (32 - 14));
                var candidate = table[slot];
                table[slot] = i;
                if (candidate < 0 || i - candidate > 65535 || BinaryPrimitives.ReadUInt32LittleEndian(input[candidate..]) != current)
                {
                    // The longer nothing matched, the bigger the steps (as the reference encoder does).
                    i += 1 + ((i - literalStart) >> 5);
                    continue;
                }
                var length = 4;
                while (i + length < input.Length && input[candidate + length] == input[i + length])
                {
                    length++;
                }
                o += WriteLiteral(input[literalStart..i], output[o..]);
                o += WriteCopy(i - candidate, length, output[o..]);
                i += length;
                literalStart = i;
            }
        }
        o += WriteLiteral(input[literalStart..], output[o..]);
        return o;
    }

    private static int WriteLength(Span<byte> output, int length)
    {
        var o = 0;
        var value = (uint)length;
        while (value >= 0x80)
        {
            output[o++] = (byte)(value | 0x80);
            value >>= 7;
        }
        output[o++] = (byte)value;
        return o;
    }

    private static int WriteLiteral(ReadOnlySpan<byte> literal, Span<byte> output)
    {
        if (literal.IsEmpty)
        {
            return 0;
        }
        var n = literal.Length - 1;
        int o;
        if (n < 60)
        {
            output[0] = (byte)(n << 2);
            o = 1;
        }
        else if (n < 256)
        {
            output[0] = 60 << 2;
            output[1] = (byte)n;
            o = 2;
        }
        else
        {
            // Blocks are at most 64 KiB, so two length bytes always suffice.
            output[0] = 61 << 2;
            output[1] = (byte)n;
            output[2] = (byte)(n >> 8);
            o = 3;
        }
        literal.CopyTo(output[o..]);
        return o + literal.Length;
    }

    /// <summary>Copies of up to 64 bytes each; the remainder kept at 4 or more so a 1-byte-offset copy can carry it.</summary>
    private static int WriteCopy(int offset, int length, Span<byte> output)
    {
        var o = 0;
        while (length >= 68)
        {
            o += Copy2(offset, 64, output[o..]);
            length -= 64;
        }
        if (length > 64)
        {
            o += Copy2(offset, 60, output[o..]);
            length -= 60;
        }
        if (length >= 12 || offset >= 2048)
        {
            return o + Copy2(offset, length, output[o..]);
        }
        output[o] = (byte)(((offset >> 8) << 5) | ((length - 4) << 2) | 1);
        output[o + 1] = (byte)offset;
        return o + 2;
    }

    private static int Copy2(int offset, int length, Span<byte> output)
    {
        output[0] = (byte)(((length - 1) << 2) | 2);
        output[1] = (byte)offset;
        output[2] = (byte)(offset >> 8);
        return 3;
    }
}
