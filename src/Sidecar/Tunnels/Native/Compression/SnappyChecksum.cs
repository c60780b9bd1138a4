using System.Buffers.Binary;
using System.Numerics;

namespace Sidecar.Tunnels.Native.Compression;

/// <summary>
/// The checksum of snappy's framing format: CRC-32C (Castagnoli) of the uncompressed data, "masked" so that
/// checksumming data that embeds checksums stays well-behaved (framing_format.txt §3).
/// <see cref="BitOperations.Crc32C(uint, ulong)"/> uses the CPU's instruction where there is one.
/// </summary>
internal static class SnappyChecksum
{
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }
        return ~crc;
    }

    public static uint Masked(ReadOnlySpan<byte> data)
    {
        var crc = Crc32C(data);
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8;
    }
}
