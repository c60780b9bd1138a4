namespace Sidecar.Dns.Wire;

/// <summary>A resource record as read; <see cref="Data"/> is a slice of the message (RFC 1035 §4.1.3).</summary>
internal readonly ref struct DnsRecord(int nameLength, DnsRecordType type, ushort @class, uint ttl, int dataOffset, ReadOnlySpan<byte> data)
{
    public int NameLength { get; } = nameLength;
    public DnsRecordType Type { get; } = type;
    public ushort Class { get; } = @class;
    public uint Ttl { get; } = ttl;
    /// <summary>Offset of RDATA in the message, for names inside RDATA that use compression.</summary>
    public int DataOffset { get; } = dataOffset;
    public ReadOnlySpan<byte> Data { get; } = data;

    /// <summary>The address of an A (4 octets, RFC 1035 §3.4.1) or AAAA (16 octets, RFC 3596 §2.2) record.</summary>
    public DnsReadStatus ReadAddress(out ReadOnlySpan<byte> address)
    {
        var expected = Type switch
        {
            DnsRecordType.A => 4,
            DnsRecordType.Aaaa => 16,
            _ => -1,
        };
        address = expected == Data.Length ? Data : default;
        return expected == Data.Length ? DnsReadStatus.Ok : DnsReadStatus.BadRecordData;
    }
}
