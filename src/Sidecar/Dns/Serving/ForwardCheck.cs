namespace Sidecar.Dns.Serving;

/// <summary>Whether an upstream's reply belongs to our query (RFC 5452 §9.1: ID and question must match).</summary>
internal enum ForwardCheck : byte
{
    Invalid,
    Truncated,
    Valid,
}
