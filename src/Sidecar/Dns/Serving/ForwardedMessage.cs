using System.Buffers.Binary;
using Sidecar.Dns.Wire;

namespace Sidecar.Dns.Serving;

/// <summary>
/// The pure half of forwarding: the query we send upstream is the client's with a fresh random ID; a reply
/// is accepted only when its ID and question match ours; the client then gets its own ID and its question
/// octets back, cut to its size limit.
/// </summary>
internal static class ForwardedMessage
{
    /// <summary>Copies the request with <paramref name="id"/>; false when the request has no readable question.</summary>
    public static bool TryPrepareQuery(ReadOnlySpan<byte> request, Span<byte> query, ushort id, out int questionLength)
    {
        questionLength = 0;
        Span<byte> name = stackalloc byte[DnsLimits.MaxNameLength];
        var reader = new DnsReader(request);
        if (reader.ReadHeader(out _) != DnsReadStatus.Ok || reader.ReadQuestion(name, out var question) != DnsReadStatus.Ok
            || query.Length < request.Length)
        {
            return false;
        }
        request.CopyTo(query);
        BinaryPrimitives.WriteUInt16BigEndian(query, id);
        questionLength = question.WireLength;
        return true;
    }

    public static ForwardCheck Check(ReadOnlySpan<byte> reply, ReadOnlySpan<byte> query, int questionLength)
    {
        var questionEnd = DnsLimits.HeaderLength + questionLength;
        if (reply.Length < questionEnd)
        {
            return ForwardCheck.Invalid;
        }
        var reader = new DnsReader(reply);
        reader.ReadHeader(out var header);
        if (!header.IsResponse || header.Id != BinaryPrimitives.ReadUInt16BigEndian(query) || header.QuestionCount != 1
            || !QuestionMatches(reply[DnsLimits.HeaderLength..questionEnd], query[DnsLimits.HeaderLength..questionEnd]))
        {
            return ForwardCheck.Invalid;
        }
        return header.IsTruncated ? ForwardCheck.Truncated : ForwardCheck.Valid;
    }

    /// <summary>Restores the client's ID and question in place; returns the length, truncated (TC) to <paramref name="limit"/>.</summary>
    public static int Restore(Span<byte> reply, int length, ReadOnlySpan<byte> request, int questionLength, int limit)
    {
        var questionEnd = DnsLimits.HeaderLength + questionLength;
        request[..2].CopyTo(reply);
        request[DnsLimits.HeaderLength..questionEnd].CopyTo(reply[DnsLimits.HeaderLength..]);
        if (length <= limit)
        {
            return length;
        }
        // Too big for the client: header and question only, TC set, so it retries over TCP (RFC 2181 §9).
        var flags = (ushort)(BinaryPrimitives.ReadUInt16BigEndian(reply[2..]) | DnsHeaderFlags.Truncated);
        BinaryPrimitives.WriteUInt16BigEndian(reply[2..], flags);
        reply[6..DnsLimits.HeaderLength].Clear();
        return questionEnd;
    }

    /// <summary>Names compare case-insensitively (upstreams may normalise case); type and class exactly.</summary>
    private static bool QuestionMatches(ReadOnlySpan<byte> reply, ReadOnlySpan<byte> query)
    {
        var nameLength = query.Length - DnsLimits.QuestionFixedLength;
        for (var i = 0; i < nameLength; i++)
        {
            if ((reply[i] | 0x20) != (query[i] | 0x20) || reply[i] != query[i] && !IsAsciiLetter(query[i]))
            {
                return false;
            }
        }
        return reply[nameLength..].SequenceEqual(query[nameLength..]);
    }

    private static bool IsAsciiLetter(byte b) => (uint)((b | 0x20) - 'a') <= 'z' - 'a';
}
