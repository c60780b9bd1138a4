namespace Sidecar.Dns.Wire;

/// <summary>RFC 1035 §4.1.1 and the IANA registry; only <see cref="Query"/> is served.</summary>
internal enum DnsOpcode : byte
{
    Query = 0,
    InverseQuery = 1,
    Status = 2,
    Notify = 4,
    Update = 5,
}
