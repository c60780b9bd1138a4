namespace Sidecar.Dns.Wire;

/// <summary>The bits of the header's second 16-bit word (RFC 1035 §4.1.1, RFC 4035 §3.2 for AD and CD).</summary>
internal static class DnsHeaderFlags
{
    public const ushort Response = 0x8000;
    public const int OpcodeShift = 11;
    public const ushort OpcodeMask = 0x7800;
    public const ushort AuthoritativeAnswer = 0x0400;
    public const ushort Truncated = 0x0200;
    public const ushort RecursionDesired = 0x0100;
    public const ushort RecursionAvailable = 0x0080;
    public const ushort CheckingDisabled = 0x0010;
    public const ushort ResponseCodeMask = 0x000F;
}
