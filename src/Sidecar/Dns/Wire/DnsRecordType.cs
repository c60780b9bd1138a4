namespace Sidecar.Dns.Wire;

/// <summary>The record types the sidecar reads or writes (IANA "Resource Record (RR) TYPEs").</summary>
internal enum DnsRecordType : ushort
{
    A = 1,
    NS = 2,
    CName = 5,
    Soa = 6,
    Ptr = 12,
    MX = 15,
    Txt = 16,
    Aaaa = 28,
    Srv = 33,
    Opt = 41,
    Any = 255,
}
