using Sidecar.Observability;
using Sidecar.Resilience;

namespace Sidecar.Admin.Http;

/// <summary>What the admin HTTP server did with its connections; owned here, rendered by /metrics.</summary>
internal sealed class HttpConnectionCounters : IConnectionCounters
{
    /// <summary>Connections without a complete request, closed to make room for a new one.</summary>
    public Counter Evicted { get; } = new();

    /// <summary>New connections closed because every slot was busy answering.</summary>
    public Counter Refused { get; } = new();

    /// <summary>Connections closed because the request head did not arrive in time.</summary>
    public Counter TimedOut { get; } = new();

    public Gauge Open { get; } = new();
}
