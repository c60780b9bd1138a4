using System.Text;

namespace Sidecar.Addressing;

/// <summary>
/// FNV-1a (64-bit) over the UTF-8 bytes of a string: the same input gives the same value in every process,
/// unlike <see cref="string.GetHashCode()"/>, which is randomised per process.
/// </summary>
internal static class StableHash
{
    // FNV parameters from the reference (draft-eastlake-fnv §2): 64-bit offset basis and prime.
    private const ulong OffsetBasis = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    public static ulong Fnv1a64(string value)
    {
        Span<byte> stack = stackalloc byte[256];
        var byteCount = Encoding.UTF8.GetByteCount(value);
        var bytes = byteCount <= stack.Length ? stack[..byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(value, bytes);
        var hash = OffsetBasis;
        foreach (var b in bytes)
        {
            hash ^= b;
            hash *= Prime;
        }
        return hash;
    }
}
