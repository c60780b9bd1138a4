using System.Buffers.Binary;

namespace Sidecar.Dns.Wire;

/// <summary>The EDNS(0) OPT pseudo-record (RFC 6891 §6.1): the sender's UDP payload size, version and DO bit.</summary>
internal readonly record struct DnsOpt(ushort UdpPayloadSize, byte ExtendedResponseCode, byte Version, bool DnssecOk)
{
    private const uint DnssecOkBit = 0x8000;

    /// <summary>
    /// Validates an OPT record: owner must be the root (RFC 6891 §6.1.2) and the options must tile RDATA
    /// exactly as code/length/value triples (§6.1.2); anything else is malformed.
    /// </summary>
    public static DnsReadStatus Parse(in DnsRecord record, out DnsOpt opt)
    {
        opt = default;
        if (record.Type != DnsRecordType.Opt || record.NameLength != 1)
        {
            return DnsReadStatus.BadRecordData;
        }
        var options = record.Data;
        while (options.Length > 0)
        {
            if (options.Length < 4)
            {
                return DnsReadStatus.BadRecordData;
            }
            var length = BinaryPrimitives.ReadUInt16BigEndian(options[2..]);
            if (options.Length - 4 < length)
            {
                return DnsReadStatus.BadRecordData;
            }
            options = options[(4 + length)..];
        }
        // The TTL field carries extended RCODE (8 bits), VERSION (8 bits), DO and Z (RFC 6891 §6.1.3).
        opt = new DnsOpt(record.Class, (byte)(record.Ttl >> 24), (byte)(record.Ttl >> 16), (record.Ttl & DnssecOkBit) != 0);
        return DnsReadStatus.Ok;
    }
}
