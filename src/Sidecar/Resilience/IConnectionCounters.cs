using Sidecar.Observability;

namespace Sidecar.Resilience;

/// <summary>What a <see cref="BoundedAcceptLoop"/> counts; each server owns its own set, rendered by /metrics.</summary>
internal interface IConnectionCounters
{
    /// <summary>Idle connections closed to make room for a new one.</summary>
    Counter Evicted { get; }

    /// <summary>New connections closed because every slot was busy answering.</summary>
    Counter Refused { get; }

    /// <summary>Connections closed by their deadline (idle or request-head timeout).</summary>
    Counter TimedOut { get; }

    Gauge Open { get; }
}
