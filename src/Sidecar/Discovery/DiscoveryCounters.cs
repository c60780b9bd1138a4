using Sidecar.Observability;

namespace Sidecar.Discovery;

/// <summary>How reading resources goes; owned here, rendered by /metrics.</summary>
internal sealed class DiscoveryCounters
{
    /// <summary>Failed list, watch or file reads.</summary>
    public Counter SyncErrors { get; } = new();

    /// <summary>Unix time of the last successful full read (list or file).</summary>
    public Gauge LastSuccessfulSyncUnixSeconds { get; } = new();
}
