namespace Sidecar.Tunnels.Native.Compression;

/// <summary>
/// Decoder of one snappy-compressed block (format_description.txt): a varint length, then literals and
/// back-references. Every offset and length is checked against the output, so hostile input fails with
/// <see cref="InvalidDataException"/> rather than reading or writing out of bounds.
/// </summary>
internal static class SnappyBlock
{
    /// <summary>Decodes <paramref name="input"/> into <paramref name="output"/>; returns the decoded length.</summary>
    public static int Decode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        var pos = ReadLength(input, out var length);
        if (length > output.Length)
        {
            throw new InvalidDataException($"snappy block of {length} bytes exceeds the chunk limit {output.Length}");
        }
        var o = 0;
        while (pos < input.Length)
        {
            var tag = input[pos++];
            int copyLength, offset;
            switch (tag & 3)
            {
                case 0:
                    var literal = tag >> 2;
                    if (literal >= 60)
                    {
                        var extra = literal - 59;
                        Need(input, pos, extra);
                        literal = 0;
                        for (var k = 0; k < extra; k++)
                        {
                            literal |= input[pos + k] << (8 * k);
                        }
                        pos += extra;
                        if (literal < 0)
                        {
                            throw new InvalidDataException("snappy literal length overflows");
                        }
                    }
                    literal++;
                    Need(input, pos, literal);
                    if (o + literal > length)
                    {
                        throw new InvalidDataException("snappy literal runs past the block's length");
                    }
                    input.Slice(pos, literal).CopyTo(output[o..]);
                    pos += literal;
                    o += literal;
                    continue;
                case 1:
                    Need(input, pos, 1);
                    copyLength = 4 + ((tag >> 2) & 7);
                    offset = ((tag >> 5) << 8) | input[pos];
                    pos += 1;
                    break;
                case 2:
                    Need(input, pos, 2);
                    copyLength = 1 + (tag >> 2);
                    offset = input[pos] | (input[pos + 1] << 8);
                    pos += 2;
                    break;
                default:
                    Need(input, pos, 4);
                    copyLength = 1 + (tag >> 2);
                    offset = input[pos] | (input[pos + 1] << 8) | (input[pos + 2] << 16) | (input[pos + 3] << 24);
                    pos += 4;
                    break;
            }
            if (offset <= 0 || offset > o || o + copyLength > length)
            {
                throw new InvalidDataException("snappy back-reference outside the decoded data");
            }
            // Overlapping copies repeat the last bytes (offset < length), so byte by byte.
            for (var k = 0; k < copyLength; k++)
            {
                output[o] = output[o - offset];
                o++;
            }
        }
        if (o != length)
        {
            throw new InvalidDataException($"snappy block decoded to {o} bytes, its header says {length}");
        }
        return length;
    }

    private static int ReadLength(ReadOnlySpan<byte> input, out int length)
    {
        uint value = 0;
        for (var i = 0; i < 5 && i < input.Length; i++)
        {
            value |= (uint)(input[i] & 0x7f) << (7 * i);
            if (input[i] < 0x80)
            {
                if (value > int.MaxValue)
                {
                    break;
                }
                length = (int)value;
                return i + 1;
            }
        }
        throw new InvalidDataException("snappy block length is not a valid varint");
    }

    private static void Need(ReadOnlySpan<byte> input, int pos, int count)
    {
        if (pos + count > input.Length)
        {
            throw new InvalidDataException("snappy block ends inside an element");
        }
    }
}
