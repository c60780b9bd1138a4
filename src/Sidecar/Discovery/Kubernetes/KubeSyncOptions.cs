using Sidecar.Configuration;

namespace Sidecar.Discovery.Kubernetes;

/// <summary>How a <see cref="KubernetesSource"/> talks to the API server; see docs/scale.md for the costs.</summary>
internal sealed record KubeSyncOptions
{
    public DiscoveryMode Mode { get; init; } = DiscoveryMode.Watch;

    /// <summary>Poll mode: one list per interval.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Watch mode: each watch asks the server to end it after a time drawn from [min, max] (whole seconds), so
    /// the reconnects of many Pods spread out; the next watch resumes from the last version seen.
    /// </summary>
    public TimeSpan WatchTimeoutMin { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan WatchTimeoutMax { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Watch mode: a safety-net list this often (times 1 to 1.5, jittered); zero disables it.</summary>
    public TimeSpan RelistPeriod { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Which servers to list and watch; several scopes (one per named server) run side by side.</summary>
    public IReadOnlyList<ResourceScope> Scopes { get; init; } = [ResourceScope.All];
}
