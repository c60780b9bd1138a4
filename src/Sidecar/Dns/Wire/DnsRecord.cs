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
}
