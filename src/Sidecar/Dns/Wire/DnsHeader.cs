namespace Sidecar.Dns.Wire;

/// <summary>The 12-octet DNS message header (RFC 1035 §4.1.1). Counts are attacker-controlled: never size anything with them.</summary>
internal readonly record struct DnsHeader(
    ushort Id,
    ushort Flags,
    ushort QuestionCount,
    ushort AnswerCount,
    ushort AuthorityCount,
    ushort AdditionalCount)
{
    public bool IsResponse => (Flags & DnsHeaderFlags.Response) != 0;

    public DnsOpcode Opcode => (DnsOpcode)((Flags >> DnsHeaderFlags.OpcodeShift) & 0xF);

    public bool RecursionDesired => (Flags & DnsHeaderFlags.RecursionDesired) != 0;

    public bool IsTruncated => (Flags & DnsHeaderFlags.Truncated) != 0;

    /// <summary>The low four bits of the response code; EDNS carries the upper eight (RFC 6891 §6.1.3).</summary>
    public DnsResponseCode ResponseCode => (DnsResponseCode)(Flags & 0xF);
}
