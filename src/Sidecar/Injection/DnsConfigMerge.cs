namespace Sidecar.Injection;

/// <summary>
/// The Pod's dnsConfig with the sidecar first: what the kubelet would have written for <c>ClusterFirst</c>
/// (the namespace's search domains, ndots:5), with the Pod's own nameservers, searches and options kept.
/// </summary>
internal static class DnsConfigMerge
{
    /// <summary>Kubernetes validation refuses more (as glibc reads no more than MAXNS = 3).</summary>
    public const int MaxNameservers = 3;

    public static PodDnsConfig Merge(PodDnsConfig? existing, string nameserver, string podNamespace, string clusterDomain)
    {
        var nameservers = new List<string> { nameserver };
        foreach (var server in existing?.Nameservers ?? [])
        {
            if (nameservers.Count < MaxNameservers && !nameservers.Contains(server))
            {
                nameservers.Add(server);
            }
        }
        var searches = new List<string> { $"{podNamespace}.svc.{clusterDomain}", $"svc.{clusterDomain}", clusterDomain };
        foreach (var search in existing?.Searches ?? [])
        {
            if (!searches.Contains(search, StringComparer.OrdinalIgnoreCase))
            {
                searches.Add(search);
            }
        }
        // ndots:5 as the kubelet sets for ClusterFirst: "mysql.abc" is tried with the search domains first.
        var options = new List<PodDnsOption> { new() { Name = "ndots", Value = "5" } };
        options.AddRange((existing?.Options ?? []).Where(o => o.Name is not null && o.Name != "ndots"));
        return new PodDnsConfig { Nameservers = nameservers, Searches = searches, Options = options };
    }
}
