namespace Sidecar.Dns;

/// <summary>
/// Replaces the set of names the DNS server answers. Called by the single reconciler with the complete
/// set, and only when that set changed; the server swaps in an immutable table, so queries never wait on a lock.
/// </summary>
internal interface INamePublisher
{
    void Publish(IReadOnlyCollection<DnsMapping> mappings);
}
