using System.Runtime.InteropServices;

namespace Sidecar.Dns.Serving.Interop;

/// <summary>struct iovec (readv(2)).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IoVec
{
    public byte* Base;
    public nuint Length;
}
