using Sidecar.Dns.Wire;

namespace Sidecar.Dns.Serving;

/// <summary>
/// A parsed query: header, the single question (its name decoded into the caller's buffer with the case
/// as sent) and the client's EDNS record if any. Parsing reads every section the counts announce, so
/// counts that lie are caught as truncation.
/// </summary>
internal readonly struct DnsRequest
{
    public DnsHeader Header { get; init; }
    public DnsQuestion Question { get; init; }
    public bool HasEdns { get; init; }
    public DnsOpt Edns { get; init; }

    public static DnsRequestStatus Parse(ReadOnlySpan<byte> message, Span<byte> nameBuffer, out DnsRequest request)
    {
        request = default;
        var reader = new DnsReader(message);
        if (reader.ReadHeader(out var header) != DnsReadStatus.Ok || header.IsResponse)
        {
            return DnsRequestStatus.Drop;
        }
        request = new DnsRequest { Header = header };
        if (header.Opcode != DnsOpcode.Query)
        {
            return DnsRequestStatus.NotImplemented;
        }
        if (header.QuestionCount != 1 || reader.ReadQuestion(nameBuffer, out var question) != DnsReadStatus.Ok)
        {
            return DnsRequestStatus.FormatError;
        }
        request = request with { Question = question };

        // Skip what a query should not carry but may; a record that does not parse makes the message malformed.
        Span<byte> scratch = stackalloc byte[DnsLimits.MaxNameLength];
        var others = header.AnswerCount + header.AuthorityCount;
        for (var i = 0; i < others; i++)
        {
            if (reader.ReadRecord(scratch, out _) != DnsReadStatus.Ok)
            {
                return DnsRequestStatus.FormatError;
            }
        }
        var hasEdns = false;
        DnsOpt edns = default;
        for (var i = 0; i < header.AdditionalCount; i++)
        {
            if (reader.ReadRecord(scratch, out var record) != DnsReadStatus.Ok)
            {
                return DnsRequestStatus.FormatError;
            }
            if (record.Type != DnsRecordType.Opt)
            {
                continue;
            }
            // RFC 6891 §6.1.1: more than one OPT record is a format error.
            if (hasEdns || DnsOpt.Parse(record, out edns) != DnsReadStatus.Ok)
            {
                return DnsRequestStatus.FormatError;
            }
            hasEdns = true;
        }
        request = request with { HasEdns = hasEdns, Edns = edns };
        return hasEdns && edns.Version != DnsLimits.EdnsVersion ? DnsRequestStatus.BadVersion : DnsRequestStatus.Ok;
    }

    /// <summary>
    /// The largest response this client can take: 512 without EDNS (RFC 1035 §4.2.1); with EDNS its
    /// advertised size, at least 512 (RFC 6891 §6.2.5) and at most ours; over TCP the buffer bounds it.
    /// </summary>
    public int ResponseLimit(bool overTcp, int bufferLength) => Math.Min(bufferLength,
        overTcp ? DnsLimits.MaxMessageLength
        : !HasEdns ? DnsLimits.ClassicUdpPayload
        : Math.Clamp((int)Edns.UdpPayloadSize, DnsLimits.ClassicUdpPayload, DnsLimits.OurUdpPayload));
}
