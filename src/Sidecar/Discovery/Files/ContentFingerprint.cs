using System.Buffers.Binary;
using System.Numerics;

namespace Sidecar.Discovery.Files;

/// <summary>
/// Length and a 64-bit hash of a file's content: enough to tell "touched" from "changed" without keeping
/// the content (up to 4 MiB) in memory. Not a cryptographic hash on purpose: the file's writer is trusted
/// (docs/operations.md, "Security model"), an accidental collision of both length and hash is 2^-64, and a
/// digest such as SHA-256 would load OpenSSL (~3.5 MiB of resident pages) into a process that, reading a
/// file, never needs it.
/// </summary>
internal readonly record struct ContentFingerprint(long Length, ulong Hash)
{
    // A word at a time, each word multiplied by an odd constant (so distinct words stay distinct), then
    // rotated and multiplied into the state (so high bits reach low ones); constants are xxHash64's primes.
    private const ulong Seed = 0x27D4EB2F165667C5;
    private const ulong Prime1 = 0x9E3779B185EBCA87;
    private const ulong Prime2 = 0xC2B2AE3D27D4EB4F;

    public static ContentFingerprint Of(ReadOnlySpan<byte> content)
    {
        var hash = Seed;
        var rest = content;
        while (rest.Length >= sizeof(ulong))
        {
            hash = Mix(hash, BinaryPrimitives.ReadUInt64LittleEndian(rest));
            rest = rest[sizeof(ulong)..];
        }
        foreach (var b in rest)
        {
            hash = Mix(hash, b);
        }
        return new ContentFingerprint(content.Length, Finalize(hash));
    }

    private static ulong Mix(ulong hash, ulong word) => BitOperations.RotateLeft(hash ^ (word * Prime2), 31) * Prime1;

    private static ulong Finalize(ulong h)
    {
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccd;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53;
        return h ^ (h >> 33);
    }
}
