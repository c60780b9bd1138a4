namespace Sidecar.Dns.Serving;

/// <summary>What the server should do with a request after the responder looked at it.</summary>
internal enum DnsOutcome : byte
{
    /// <summary>Send nothing.</summary>
    Drop,
    /// <summary>Send the response the responder wrote.</summary>
    Reply,
    /// <summary>A miss under --dns-miss=forward: relay the request upstream.</summary>
    Forward,
}
