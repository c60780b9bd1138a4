using Sidecar.Observability;
using Sidecar.Resilience;

namespace Sidecar.Dns.Serving;

/// <summary>What the TCP server did with its connections; owned here, rendered by /metrics.</summary>
internal sealed class TcpDnsCounters : IConnectionCounters
{
    /// <summary>Idle connections closed to make room for a new one (RFC 7766 §6.2.3).</summary>
    public Counter Evicted { get; } = new();

    /// <summary>New connections closed because every slot was busy answering.</summary>
    public Counter Refused { get; } = new();

    /// <summary>Connections closed by the idle timeout.</summary>
    public Counter TimedOut { get; } = new();

    public Gauge Open { get; } = new();
}
