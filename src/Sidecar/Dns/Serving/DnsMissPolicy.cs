namespace Sidecar.Dns.Serving;

/// <summary>What the DNS server answers for a name it does not map.</summary>
internal enum DnsMissPolicy
{
    /// <summary>NXDOMAIN, as the original did.</summary>
    NxDomain,
    /// <summary>REFUSED, so a resolver with a second nameserver moves on.</summary>
    Refused,
    /// <summary>Relay the query to the upstream servers.</summary>
    Forward,
}
