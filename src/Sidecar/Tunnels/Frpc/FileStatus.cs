using System.Runtime.InteropServices;

namespace Sidecar.Tunnels.Frpc;

/// <summary>
/// The fields we read of <c>struct statx</c> (statx(2)). Unlike <c>struct stat</c> its layout is the same on
/// every architecture; the kernel fills 256 bytes.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal struct FileStatus
{
    /// <summary>STATX_TYPE | STATX_MODE | STATX_UID | STATX_INO.</summary>
    public const uint BasicMask = 0x1 | 0x2 | 0x8 | 0x100;

    private const uint TypeMask = 0xF000;
    private const uint DirectoryType = 0x4000;
    private const uint RegularType = 0x8000;
    private const uint SymlinkType = 0xA000;

    [FieldOffset(20)] public uint Uid;
    [FieldOffset(28)] public ushort RawMode;
    [FieldOffset(32)] public ulong Inode;
    [FieldOffset(136)] public uint DeviceMajor;
    [FieldOffset(140)] public uint DeviceMinor;

    /// <summary>The permission bits (rwx for owner, group, others).</summary>
    public readonly UnixFileMode Permissions => (UnixFileMode)(RawMode & 0x1FF);

    public readonly bool IsDirectory => (RawMode & TypeMask) == DirectoryType;

    public readonly bool IsRegularFile => (RawMode & TypeMask) == RegularType;

    public readonly bool IsSymlink => (RawMode & TypeMask) == SymlinkType;

    /// <summary>Same file: same inode on the same device.</summary>
    public readonly bool IsSameFile(in FileStatus other) =>
        Inode == other.Inode && DeviceMajor == other.DeviceMajor && DeviceMinor == other.DeviceMinor;
}
