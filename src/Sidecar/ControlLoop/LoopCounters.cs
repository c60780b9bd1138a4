using Sidecar.Observability;

namespace Sidecar.ControlLoop;

/// <summary>What the control loop measures; owned here, rendered by /metrics.</summary>
internal sealed class LoopCounters
{
    /// <summary>Time to apply one pass (extract and reconcile).</summary>
    public Histogram ReconcileDuration { get; } = new(Histogram.MillisecondBounds);

    /// <summary>Service names DNS answers after the last pass.</summary>
    public Gauge MappedServices { get; } = new();
}
