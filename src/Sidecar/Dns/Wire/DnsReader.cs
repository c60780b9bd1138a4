using System.Buffers.Binary;

namespace Sidecar.Dns.Wire;

/// <summary>
/// Reads a DNS message front to back. Every read checks bounds first and reports malformed input as a
/// <see cref="DnsReadStatus"/>; nothing throws and nothing allocates. Names are decoded into a caller's
/// buffer (at least <see cref="DnsLimits.MaxNameLength"/> octets) in uncompressed wire form.
/// </summary>
internal ref struct DnsReader(ReadOnlySpan<byte> message)
{
    private readonly ReadOnlySpan<byte> _message = message;

    /// <summary>The offset of the next unread octet.</summary>
    public int Position { get; private set; }

    public readonly ReadOnlySpan<byte> Message => _message;

    public readonly int Remaining => _message.Length - Position;

    public DnsReadStatus ReadHeader(out DnsHeader header)
    {
        header = default;
        if (Position != 0 || _message.Length < DnsLimits.HeaderLength)
        {
            return DnsReadStatus.Truncated;
        }
        var m = _message;
        header = new DnsHeader(
            BinaryPrimitives.ReadUInt16BigEndian(m),
            BinaryPrimitives.ReadUInt16BigEndian(m[2..]),
            BinaryPrimitives.ReadUInt16BigEndian(m[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(m[6..]),
            BinaryPrimitives.ReadUInt16BigEndian(m[8..]),
            BinaryPrimitives.ReadUInt16BigEndian(m[10..]));
        Position = DnsLimits.HeaderLength;
        return DnsReadStatus.Ok;
    }

    /// <summary>RFC 1035 §4.1.2: QNAME, QTYPE, QCLASS.</summary>
    public DnsReadStatus ReadQuestion(scoped Span<byte> name, out DnsQuestion question)
    {
        question = default;
        var start = Position;
        var position = Position;
        var status = DnsName.Read(_message, ref position, name, out var nameLength);
        if (status != DnsReadStatus.Ok)
        {
            return status;
        }
        if (_message.Length - position < DnsLimits.QuestionFixedLength)
        {
            return DnsReadStatus.Truncated;
        }
        question = new DnsQuestion(
            nameLength,
            (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(_message[position..]),
            BinaryPrimitives.ReadUInt16BigEndian(_message[(position + 2)..]),
            start,
            position + DnsLimits.QuestionFixedLength - start);
        Position = position + DnsLimits.QuestionFixedLength;
        return DnsReadStatus.Ok;
    }

    /// <summary>RFC 1035 §4.1.3: NAME, TYPE, CLASS, TTL, RDLENGTH, RDATA. RDATA must lie inside the message.</summary>
    public DnsReadStatus ReadRecord(scoped Span<byte> name, out DnsRecord record)
    {
        record = default;
        var position = Position;
        var status = DnsName.Read(_message, ref position, name, out var nameLength);
        if (status != DnsReadStatus.Ok)
        {
            return status;
        }
        if (_message.Length - position < DnsLimits.RecordFixedLength)
        {
            return DnsReadStatus.Truncated;
        }
        var fixedPart = _message.Slice(position, DnsLimits.RecordFixedLength);
        var dataLength = BinaryPrimitives.ReadUInt16BigEndian(fixedPart[8..]);
        var dataOffset = position + DnsLimits.RecordFixedLength;
        if (_message.Length - dataOffset < dataLength)
        {
            return DnsReadStatus.Truncated;
        }
        record = new DnsRecord(
            nameLength,
            (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(fixedPart),
            BinaryPrimitives.ReadUInt16BigEndian(fixedPart[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(fixedPart[4..]),
            dataOffset,
            _message.Slice(dataOffset, dataLength));
        Position = dataOffset + dataLength;
        return DnsReadStatus.Ok;
    }
}
