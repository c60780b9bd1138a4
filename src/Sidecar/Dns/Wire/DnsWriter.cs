using System.Buffers.Binary;

namespace Sidecar.Dns.Wire;

/// <summary>
/// Writes a DNS message into a fixed buffer. Every write checks space first and returns false when the
/// item does not fit (the caller then truncates), so a response can never exceed the buffer it is given.
/// </summary>
internal ref struct DnsWriter(Span<byte> buffer)
{
    /// <summary>RFC 1035 §4.1.4: a pointer is two octets with the top two bits set.</summary>
    private const ushort PointerFlag = 0xC000;
    private const int MaxPointerOffset = 0x3FFF;
    /// <summary>RFC 3225 §3: the DO bit is the top bit of the OPT TTL's low 16 bits.</summary>
    private const uint DnssecOkBit = 0x8000;

    private readonly Span<byte> _buffer = buffer;

    public int Position { get; private set; }

    public readonly ReadOnlySpan<byte> Written => _buffer[..Position];

    /// <summary>Rewinds to an earlier position, e.g. to drop a section that did not fit.</summary>
    public void Rewind(int position) => Position = Math.Clamp(position, 0, Position);

    public bool TryWriteHeader(in DnsHeader header)
    {
        if (_buffer.Length < DnsLimits.HeaderLength)
        {
            return false;
        }
        PatchHeader(header);
        Position = Math.Max(Position, DnsLimits.HeaderLength);
        return true;
    }

    /// <summary>Overwrites the header in place (counts are known only after the sections were written).</summary>
    public readonly void PatchHeader(in DnsHeader header)
    {
        var h = _buffer;
        BinaryPrimitives.WriteUInt16BigEndian(h, header.Id);
        BinaryPrimitives.WriteUInt16BigEndian(h[2..], header.Flags);
        BinaryPrimitives.WriteUInt16BigEndian(h[4..], header.QuestionCount);
        BinaryPrimitives.WriteUInt16BigEndian(h[6..], header.AnswerCount);
        BinaryPrimitives.WriteUInt16BigEndian(h[8..], header.AuthorityCount);
        BinaryPrimitives.WriteUInt16BigEndian(h[10..], header.AdditionalCount);
    }

    public bool TryWriteBytes(ReadOnlySpan<byte> bytes)
    {
        if (_buffer.Length - Position < bytes.Length)
        {
            return false;
        }
        bytes.CopyTo(_buffer[Position..]);
        Position += bytes.Length;
        return true;
    }

    public bool TryWriteUInt16(ushort value)
    {
        if (_buffer.Length - Position < 2)
        {
            return false;
        }
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[Position..], value);
        Position += 2;
        return true;
    }

    public bool TryWriteUInt32(uint value)
    {
        if (_buffer.Length - Position < 4)
        {
            return false;
        }
        BinaryPrimitives.WriteUInt32BigEndian(_buffer[Position..], value);
        Position += 4;
        return true;
    }

    /// <summary>A compression pointer to a name written earlier at <paramref name="offset"/> (RFC 1035 §4.1.4).</summary>
    public bool TryWritePointer(int offset) =>
        offset is >= DnsLimits.HeaderLength and <= MaxPointerOffset && offset < Position
        && TryWriteUInt16((ushort)(PointerFlag | offset));

    /// <summary>A question with the name in uncompressed wire form, octets as given (so 0x20 case survives).</summary>
    public bool TryWriteQuestion(ReadOnlySpan<byte> wireName, DnsRecordType type, ushort @class)
    {
        var start = Position;
        if (TryWriteBytes(wireName) && TryWriteUInt16((ushort)type) && TryWriteUInt16(@class))
        {
            return true;
        }
        Position = start;
        return false;
    }

    /// <summary>An A or AAAA record whose owner is a pointer to an earlier name (the question).</summary>
    public bool TryWriteAddress(int ownerOffset, uint ttl, ReadOnlySpan<byte> address)
    {
        var type = address.Length == 4 ? DnsRecordType.A : DnsRecordType.Aaaa;
        var start = Position;
        if (TryWritePointer(ownerOffset) && TryWriteUInt16((ushort)type) && TryWriteUInt16(DnsRecordClass.Internet)
            && TryWriteUInt32(ttl) && TryWriteUInt16((ushort)address.Length) && TryWriteBytes(address))
        {
            return true;
        }
        Position = start;
        return false;
    }

    /// <summary>
    /// An SOA for negative answers (RFC 2308 §3): owner and MNAME point to <paramref name="ownerOffset"/>,
    /// RNAME is "hostmaster" under it; MINIMUM bounds how long resolvers cache the negative answer.
    /// </summary>
    public bool TryWriteSoa(int ownerOffset, uint ttl, uint serial, uint minimum)
    {
        var start = Position;
        if (TryWritePointer(ownerOffset) && TryWriteUInt16((ushort)DnsRecordType.Soa) && TryWriteUInt16(DnsRecordClass.Internet)
            && TryWriteUInt32(ttl))
        {
            var lengthAt = Position;
            if (TryWriteUInt16(0) && TryWritePointer(ownerOffset) && TryWriteBytes("\u000Ahostmaster"u8)
                && TryWritePointer(ownerOffset) && TryWriteUInt32(serial) && TryWriteUInt32(3600) && TryWriteUInt32(600)
                && TryWriteUInt32(86400) && TryWriteUInt32(minimum))
            {
                BinaryPrimitives.WriteUInt16BigEndian(_buffer[lengthAt..], (ushort)(Position - lengthAt - 2));
                return true;
            }
        }
        Position = start;
        return false;
    }

    /// <summary>
    /// Our OPT record (RFC 6891 §6.1.2): root owner, our payload size, the upper RCODE bits, the DO bit
    /// copied from the query (RFC 3225 §3), no options.
    /// </summary>
    public bool TryWriteOpt(ushort udpPayloadSize, byte extendedResponseCode, bool dnssecOk = false)
    {
        var start = Position;
        var ttl = (uint)extendedResponseCode << 24 | (uint)DnsLimits.EdnsVersion << 16 | (dnssecOk ? DnssecOkBit : 0u);
        if (TryWriteBytes([0]) && TryWriteUInt16((ushort)DnsRecordType.Opt) && TryWriteUInt16(udpPayloadSize)
            && TryWriteUInt32(ttl) && TryWriteUInt16(0))
        {
            return true;
        }
        Position = start;
        return false;
    }

    /// <summary>Bytes an OPT record with no options takes.</summary>
    public const int OptLength = 1 + DnsLimits.RecordFixedLength;
}
