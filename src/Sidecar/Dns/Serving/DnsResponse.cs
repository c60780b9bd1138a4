namespace Sidecar.Dns.Serving;

/// <summary>The responder's verdict: what to do, how many response octets it wrote, and the client's size limit.</summary>
internal readonly record struct DnsResponse(DnsOutcome Outcome, int Length, int SizeLimit)
{
    public static DnsResponse Drop => default;
}
