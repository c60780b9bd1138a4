using System.Runtime.InteropServices;

namespace Sidecar.Dns.Serving.Interop;

/// <summary>struct msghdr (recvmsg(2)); sequential layout pads exactly as the C struct on LP64.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct MsgHdr
{
    public byte* Name;
    public uint NameLength;
    public IoVec* Iov;
    public nuint IovLength;
    public void* Control;
    public nuint ControlLength;
    public int Flags;
}
