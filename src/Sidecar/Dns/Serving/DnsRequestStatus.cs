namespace Sidecar.Dns.Serving;

/// <summary>How a request parsed, which decides the kind of reply (docs/dns.md, "Behaviour").</summary>
internal enum DnsRequestStatus : byte
{
    Ok,
    /// <summary>No readable header, or QR=1: never answer (an answer to an answer invites loops).</summary>
    Drop,
    /// <summary>QDCOUNT ≠ 1 or a malformed body: FORMERR.</summary>
    FormatError,
    /// <summary>Opcode other than QUERY: NOTIMP.</summary>
    NotImplemented,
    /// <summary>EDNS version other than 0: BADVERS (RFC 6891 §6.1.3).</summary>
    BadVersion,
}
