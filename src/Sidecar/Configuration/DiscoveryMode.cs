namespace Sidecar.Configuration;

/// <summary>How the Kubernetes source follows FRPServers (<c>--discovery</c>).</summary>
internal enum DiscoveryMode
{
    /// <summary>List once, then watch: changes apply in milliseconds; API cost grows with status rewrites × Pods.</summary>
    Watch,

    /// <summary>One list per <c>--poll-interval</c>, no watch: API cost grows with Pods ÷ interval, whatever the churn.</summary>
    Poll,
}
