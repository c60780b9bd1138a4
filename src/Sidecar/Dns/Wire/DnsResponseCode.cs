namespace Sidecar.Dns.Wire;

/// <summary>Response codes (RFC 1035 §4.1.1; BADVERS is the extended code 16 of RFC 6891 §9).</summary>
internal enum DnsResponseCode : ushort
{
    NoError = 0,
    FormatError = 1,
    ServerFailure = 2,
    NameError = 3,
    NotImplemented = 4,
    Refused = 5,
    BadVersion = 16,
}
