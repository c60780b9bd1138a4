using Sidecar.Dns.Wire;

namespace Sidecar.Tests.Dns;

/// <summary>A response read completely with the product's reader; <see cref="Status"/> is the first failure.</summary>
internal sealed record ParsedMessage(
    DnsReadStatus Status,
    DnsHeader Header,
    string? QuestionName,
    DnsRecordType QuestionType,
    IReadOnlyList<ParsedRecord> Answers,
    IReadOnlyList<ParsedRecord> Authority,
    IReadOnlyList<ParsedRecord> Additional)
{
    /// <summary>The full response code: header bits plus the OPT record's upper bits (RFC 6891 §6.1.3).</summary>
    public DnsResponseCode ResponseCode
    {
        get
        {
            var upper = Additional.FirstOrDefault(r => r.Type == DnsRecordType.Opt)?.Ttl >> 24 ?? 0u;
            return (DnsResponseCode)((uint)Header.ResponseCode | upper << 4);
        }
    }

    public bool Has(ushort flag) => (Header.Flags & flag) != 0;

    public static ParsedMessage Read(ReadOnlySpan<byte> message)
    {
        var reader = new DnsReader(message);
        var name = new byte[DnsLimits.MaxNameLength];
        List<ParsedRecord> answers = [], authority = [], additional = [];
        var status = reader.ReadHeader(out var header);
        string? questionName = null;
        var questionType = default(DnsRecordType);
        for (var i = 0; status == DnsReadStatus.Ok && i < header.QuestionCount; i++)
        {
            status = reader.ReadQuestion(name, out var question);
            if (status == DnsReadStatus.Ok && i == 0)
            {
                questionName = DnsName.Format(name.AsSpan(0, question.NameLength));
                questionType = question.Type;
            }
        }
        status = ReadSection(ref reader, message, header.AnswerCount, answers, status);
        status = ReadSection(ref reader, message, header.AuthorityCount, authority, status);
        status = ReadSection(ref reader, message, header.AdditionalCount, additional, status);
        return new ParsedMessage(status, header, questionName, questionType, answers, authority, additional);
    }

    private static DnsReadStatus ReadSection(ref DnsReader reader, ReadOnlySpan<byte> message, int count, List<ParsedRecord> records, DnsReadStatus status)
    {
        var name = new byte[DnsLimits.MaxNameLength];
        for (var i = 0; status == DnsReadStatus.Ok && i < count; i++)
        {
            status = reader.ReadRecord(name, out var record);
            if (status != DnsReadStatus.Ok)
            {
                break;
            }
            string? soaMname = null;
            if (record.Type == DnsRecordType.Soa)
            {
                var mname = new byte[DnsLimits.MaxNameLength];
                status = SoaRecord.Read(message, record, mname, new byte[DnsLimits.MaxNameLength], out var soa);
                soaMname = status == DnsReadStatus.Ok ? DnsName.Format(mname.AsSpan(0, soa.MnameLength)) : null;
            }
            else if (record.Type == DnsRecordType.Opt)
            {
                status = DnsOpt.Parse(record, out _);
            }
            else if (record.Type is DnsRecordType.A or DnsRecordType.Aaaa)
            {
                status = record.ReadAddress(out _);
            }
            records.Add(new ParsedRecord(DnsName.Format(name.AsSpan(0, record.NameLength)), record.Type, record.Class,
                record.Ttl, record.Data.ToArray(), soaMname));
        }
        return status;
    }
}
