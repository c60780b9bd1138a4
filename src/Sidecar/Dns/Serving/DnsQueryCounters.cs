namespace Sidecar.Dns.Serving;

/// <summary>
/// DNS queries by question type and response code, in a fixed table so the hot path increments one slot
/// without allocating or hashing.
/// </summary>
internal sealed class DnsQueryCounters
{
    /// <summary>Question types worth their own label; everything else counts as "other".</summary>
    private static readonly (ushort Code, string Name)[] s_types =
        [(1, "A"), (28, "AAAA"), (12, "PTR"), (33, "SRV"), (16, "TXT"), (6, "SOA"), (65, "HTTPS"), (0, "other")];

    /// <summary>RFC 1035 §4.1.1 and RFC 6891 §9 codes we send; "dropped" counts packets not answered at all.</summary>
    private static readonly (int Code, string Name)[] s_rcodes =
        [(0, "NOERROR"), (1, "FORMERR"), (2, "SERVFAIL"), (3, "NXDOMAIN"), (4, "NOTIMP"), (5, "REFUSED"), (16, "BADVERS"), (-1, "dropped")];

    public const int Dropped = -1;

    private readonly long[] _counts = new long[s_types.Length * s_rcodes.Length];

    /// <param name="questionType">The QTYPE, or 0 when the question could not be read.</param>
    /// <param name="responseCode">The RCODE sent, or <see cref="Dropped"/>.</param>
    public void Record(ushort questionType, int responseCode) =>
        Interlocked.Increment(ref _counts[(TypeIndex(questionType) * s_rcodes.Length) + RcodeIndex(responseCode)]);

    public long Get(ushort questionType, int responseCode) =>
        Interlocked.Read(ref _counts[(TypeIndex(questionType) * s_rcodes.Length) + RcodeIndex(responseCode)]);

    /// <summary>Every non-zero cell as (type label, rcode label, count).</summary>
    public IEnumerable<(string Type, string Rcode, long Count)> NonZero()
    {
        for (var t = 0; t < s_types.Length; t++)
        {
            for (var r = 0; r < s_rcodes.Length; r++)
            {
                var count = Interlocked.Read(ref _counts[(t * s_rcodes.Length) + r]);
                if (count != 0)
                {
                    yield return (s_types[t].Name, s_rcodes[r].Name, count);
                }
            }
        }
    }

    private static int TypeIndex(ushort type)
    {
        for (var i = 0; i < s_types.Length - 1; i++)
        {
            if (s_types[i].Code == type)
            {
                return i;
            }
        }
        return s_types.Length - 1;
    }

    private static int RcodeIndex(int rcode)
    {
        for (var i = 0; i < s_rcodes.Length; i++)
        {
            if (s_rcodes[i].Code == rcode)
            {
                return i;
            }
        }
        return 2; // an rcode we never expect to send is a server failure worth seeing
    }
}
