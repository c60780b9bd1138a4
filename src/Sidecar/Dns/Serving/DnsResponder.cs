using Sidecar.Dns.Wire;

namespace Sidecar.Dns.Serving;

/// <summary>
/// Request bytes in, response bytes out: the DNS semantics of the sidecar with no I/O, so every rule is
/// testable and fuzzable. Reads the current <see cref="NameTable"/> once per query; never locks, never
/// allocates, never throws on input. Counts each verdict by question type and response code when given
/// counters (forwarded queries are counted by the forwarder, which knows the upstream's answer).
/// </summary>
internal sealed class DnsResponder(DnsMissPolicy missPolicy, DnsQueryCounters? counters = null)
{
    private const int QuestionOffset = DnsLimits.HeaderLength;

    private NameTable _table = NameTable.Empty;

    public DnsMissPolicy MissPolicy { get; } = missPolicy;

    /// <summary>The table queries see; replaced whole by a publish.</summary>
    public NameTable Table
    {
        get => Volatile.Read(ref _table);
        set => Volatile.Write(ref _table, value);
    }

    /// <param name="response">Where the response goes; its length bounds the response (65535 covers TCP).</param>
    public DnsResponse Respond(ReadOnlySpan<byte> request, Span<byte> response, bool overTcp)
    {
        Span<byte> name = stackalloc byte[DnsLimits.MaxNameLength];
        var status = DnsRequest.Parse(request, name, out var parsed);
        var limit = parsed.ResponseLimit(overTcp, response.Length);
        var type = (ushort)parsed.Question.Type;
        switch (status)
        {
            case DnsRequestStatus.Drop:
                counters?.Record(0, DnsQueryCounters.Dropped);
                return DnsResponse.Drop;
            case DnsRequestStatus.FormatError:
                return Reply(WriteHeaderOnly(parsed.Header, DnsResponseCode.FormatError, response), limit, 0, DnsResponseCode.FormatError);
            case DnsRequestStatus.NotImplemented:
                return Reply(WriteHeaderOnly(parsed.Header, DnsResponseCode.NotImplemented, response), limit, 0, DnsResponseCode.NotImplemented);
            case DnsRequestStatus.BadVersion:
                return Reply(Write(parsed, name, response[..limit], DnsResponseCode.BadVersion, Table, default, false), limit, type, DnsResponseCode.BadVersion);
        }

        var table = Table;
        var question = parsed.Question;
        Span<byte> lower = stackalloc byte[DnsLimits.MaxNameLength];
        DnsName.ToLowerAscii(name[..question.NameLength], lower);
        if (question.Class == DnsRecordClass.Internet && table.TryLookup(lower[..question.NameLength], out var entry))
        {
            return Reply(Write(parsed, name, response[..limit], DnsResponseCode.NoError, table, entry, true), limit, type, DnsResponseCode.NoError);
        }
        return MissPolicy switch
        {
            DnsMissPolicy.Refused => Reply(Write(parsed, name, response[..limit], DnsResponseCode.Refused, table, default, false), limit, type, DnsResponseCode.Refused),
            DnsMissPolicy.Forward => new DnsResponse(DnsOutcome.Forward, 0, limit),
            _ => Reply(Write(parsed, name, response[..limit], DnsResponseCode.NameError, table, default, false), limit, type, DnsResponseCode.NameError),
        };
    }

    /// <summary>A reply carrying only <paramref name="code"/> and the question, e.g. SERVFAIL when every upstream failed.</summary>
    public DnsResponse RespondWithCode(ReadOnlySpan<byte> request, Span<byte> response, bool overTcp, DnsResponseCode code)
    {
        Span<byte> name = stackalloc byte[DnsLimits.MaxNameLength];
        var status = DnsRequest.Parse(request, name, out var parsed);
        var limit = parsed.ResponseLimit(overTcp, response.Length);
        return status switch
        {
            DnsRequestStatus.Drop => DnsResponse.Drop,
            DnsRequestStatus.Ok => Reply(Write(parsed, name, response[..limit], code, Table, default, false), limit),
            _ => Reply(WriteHeaderOnly(parsed.Header, DnsResponseCode.FormatError, response), limit),
        };
    }

    private static DnsResponse Reply(int length, int limit) => new(DnsOutcome.Reply, length, limit);

    private DnsResponse Reply(int length, int limit, ushort questionType, DnsResponseCode code)
    {
        counters?.Record(questionType, (int)code);
        return new DnsResponse(DnsOutcome.Reply, length, limit);
    }

    private int WriteHeaderOnly(DnsHeader request, DnsResponseCode code, Span<byte> response)
    {
        var writer = new DnsWriter(response);
        writer.TryWriteHeader(new DnsHeader(request.Id, ResponseFlags(request, code, authoritative: false), 0, 0, 0, 0));
        return writer.Position;
    }

    /// <param name="table">The table the lookup used, so TTL and serial come from the same snapshot as the answer.</param>
    private int Write(in DnsRequest request, ReadOnlySpan<byte> name, Span<byte> response, DnsResponseCode code, NameTable table,
        NameTableEntry entry, bool found)
    {
        var question = request.Question;
        // Room for OPT is reserved up front: a response that drops it would look like an EDNS-less server (RFC 6891 §7).
        var ednsRoom = request.HasEdns ? DnsWriter.OptLength : 0;
        var writer = new DnsWriter(response[..(response.Length - ednsRoom)]);
        writer.TryWriteHeader(default);
        // RFC 1035 §4.1.2: the question is echoed as sent, so 0x20 case randomisation survives. It always
        // fits: 12 + 255 + 4 octets is below the smallest limit (512 - OPT).
        writer.TryWriteQuestion(name[..question.NameLength], question.Type, question.Class);
        var afterQuestion = writer.Position;
        ushort answers = 0, authority = 0;
        var truncated = false;
        if (found)
        {
            var matches = question.Type == DnsRecordType.Any
                || question.Type == DnsRecordType.A && entry.Address.Length == 4
                || question.Type == DnsRecordType.Aaaa && entry.Address.Length == 16;
            if (matches)
            {
                // RFC 1035 §4.1.4: the answer's owner is a pointer to the question name.
                truncated = !writer.TryWriteAddress(QuestionOffset, table.TtlSeconds, entry.Address);
                answers = truncated ? (ushort)0 : (ushort)1;
            }
            else
            {
                // NODATA: NOERROR, no answer, and an SOA so resolvers cache the negative answer (RFC 2308 §2.2, §5).
                truncated = !writer.TryWriteSoa(QuestionOffset, table.TtlSeconds, table.Serial, table.TtlSeconds);
                authority = truncated ? (ushort)0 : (ushort)1;
            }
        }
        if (truncated)
        {
            // RFC 2181 §9: a truncated response sets TC; the client retries over TCP.
            writer.Rewind(afterQuestion);
        }
        var length = writer.Position;
        ushort additional = 0;
        if (request.HasEdns)
        {
            var opt = new DnsWriter(response[length..]);
            if (opt.TryWriteOpt(DnsLimits.OurUdpPayload, (byte)((int)code >> 4), request.Edns.DnssecOk))
            {
                length += opt.Position;
                additional = 1;
            }
        }
        var flags = (ushort)(ResponseFlags(request.Header, code, authoritative: found) | (truncated ? DnsHeaderFlags.Truncated : 0));
        writer.PatchHeader(new DnsHeader(request.Header.Id, flags, 1, answers, authority, additional));
        return length;
    }

    /// <summary>QR set, opcode and RD/CD copied (RFC 1035 §4.1.1, RFC 4035 §3.2.2), RA only when we forward.</summary>
    private ushort ResponseFlags(DnsHeader request, DnsResponseCode code, bool authoritative)
    {
        var flags = DnsHeaderFlags.Response
            | request.Flags & (DnsHeaderFlags.OpcodeMask | DnsHeaderFlags.RecursionDesired | DnsHeaderFlags.CheckingDisabled)
            | (int)code & DnsHeaderFlags.ResponseCodeMask;
        if (authoritative)
        {
            flags |= DnsHeaderFlags.AuthoritativeAnswer;
        }
        if (MissPolicy == DnsMissPolicy.Forward)
        {
            flags |= DnsHeaderFlags.RecursionAvailable;
        }
        return (ushort)flags;
    }
}
