using System.Runtime.InteropServices;

namespace Sidecar.Dns.Serving.Interop;

/// <summary>struct mmsghdr (recvmmsg(2)): a message header and the octets received or sent.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct MMsgHdr
{
    public MsgHdr Header;
    public uint Length;
}
