using System.Runtime.InteropServices;

namespace Sidecar.Tunnels.Native.Yamux;

/// <summary>
/// Memory straight from the kernel (mmap(2)/munmap(2)): pages count in RSS only once written, and unmapped
/// they leave it at once, which neither the GC heap nor malloc promise for memory that was only briefly needed.
/// </summary>
internal static unsafe partial class AnonymousMemory
{
    private const int ProtRead = 0x1;
    private const int ProtWrite = 0x2;
    private const int MapPrivate = 0x02;
    private const int MapAnonymous = 0x20; // the same on x86-64 and arm64 (asm-generic/mman-common.h)

    public static byte* Map(int length)
    {
        var address = Mmap(null, (nuint)length, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        return address == (void*)-1
            ? throw new OutOfMemoryException($"mmap of {length} bytes failed (errno {Marshal.GetLastPInvokeError()})")
            : (byte*)address;
    }

    public static void Unmap(byte* address, int length) => _ = Munmap(address, (nuint)length);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial void* Mmap(void* address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Munmap(void* address, nuint length);
}
