using System.Buffers.Binary;
using Sidecar.Dns.Wire;

namespace Sidecar.Tests.Dns;

/// <summary>
/// SOA RDATA (RFC 1035 §3.3.13) as a client reads it, to check the SOA our responder writes into negative
/// answers (RFC 2308 §3); the two names are decoded into the caller's buffers. The product only writes SOA.
/// </summary>
internal readonly record struct SoaRecord(int MnameLength, int RnameLength, uint Serial, uint Refresh, uint Retry, uint Expire, uint Minimum)
{
    private const int FixedLength = 20;

    /// <summary>Reads SOA RDATA; its names may point back into the message but must end inside RDATA.</summary>
    public static DnsReadStatus Read(ReadOnlySpan<byte> message, in DnsRecord record, Span<byte> mname, Span<byte> rname, out SoaRecord soa)
    {
        soa = default;
        var end = record.DataOffset + record.Data.Length;
        var position = record.DataOffset;
        // Bound the reads by RDATA so a name cannot run on into the next record.
        var bounded = message[..end];
        var status = DnsName.Read(bounded, ref position, mname, out var mnameLength);
        if (status != DnsReadStatus.Ok)
        {
            return status;
        }
        status = DnsName.Read(bounded, ref position, rname, out var rnameLength);
        if (status != DnsReadStatus.Ok)
        {
            return status;
        }
        if (end - position != FixedLength)
        {
            return DnsReadStatus.BadRecordData;
        }
        var f = message.Slice(position, FixedLength);
        soa = new SoaRecord(mnameLength, rnameLength,
            BinaryPrimitives.ReadUInt32BigEndian(f), BinaryPrimitives.ReadUInt32BigEndian(f[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(f[8..]), BinaryPrimitives.ReadUInt32BigEndian(f[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(f[16..]));
        return DnsReadStatus.Ok;
    }
}
