using System.Runtime.InteropServices;

namespace Sidecar.Dns.Serving.Interop;

/// <summary>
/// recvmmsg(2)/sendmmsg(2): many datagrams per system call. The fastest DNS servers batch this way
/// (docs/dns.md, "Serving"); .NET's Socket has no batched API, so these two calls go straight to libc.
/// </summary>
internal static unsafe partial class LinuxDatagrams
{
    /// <summary>recvmmsg: block for the first datagram only, then take what is queued.</summary>
    public const int MsgWaitForOne = 0x10000;
    /// <summary>msg_flags: the datagram was longer than the buffer.</summary>
    public const int MsgTrunc = 0x20;
    public const int EIntr = 4;
    public const int EBadF = 9;
    public const int ENoSys = 38;

    public static bool IsSupported => OperatingSystem.IsLinux() && (RuntimeInformation.OSArchitecture is Architecture.X64 or Architecture.Arm64);

    [LibraryImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
    public static partial int ReceiveMany(int fd, MMsgHdr* messages, uint count, int flags, void* timeout);

    [LibraryImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    public static partial int SendMany(int fd, MMsgHdr* messages, uint count, int flags);
}
