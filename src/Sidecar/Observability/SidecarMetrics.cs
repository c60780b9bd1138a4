using System.Collections.Concurrent;
using Sidecar.Admin.Http;
using Sidecar.Dns.Serving;
using Sidecar.Tunnels;

namespace Sidecar.Observability;

/// <summary>
/// Every metric the sidecar exports, as plain fields: components increment them directly (no registry
/// lookups on hot paths), and <see cref="PrometheusTextWriter"/> renders them on scrape.
/// </summary>
internal sealed class SidecarMetrics
{
    public DnsQueryCounters DnsQueries { get; } = new();
    public Counter DnsForwarded { get; } = new();
    public Counter DnsUpstreamFailures { get; } = new();
    public TcpDnsCounters DnsTcp { get; } = new();
    public UdpDnsCounters DnsUdp { get; } = new();
    public HttpConnectionCounters AdminConnections { get; } = new();
    public Gauge MappedServices { get; } = new();
    public Counter ForwarderConnections { get; } = new();
    public Gauge ForwarderActiveConnections { get; } = new();
    public Counter ForwarderBytesUp { get; } = new();
    public Counter ForwarderBytesDown { get; } = new();
    public Histogram ReconcileDuration { get; } = new(Histogram.MillisecondBounds);
    public Counter SyncErrors { get; } = new();
    public Gauge LastSuccessfulSyncUnixSeconds { get; } = new();

    /// <summary>frpc restarts by FRPServer resource name.</summary>
    public ConcurrentDictionary<string, Counter> FrpcRestarts { get; } = new(StringComparer.Ordinal);

    /// <summary>Counts tunnels by state at scrape time; set by the composition root.</summary>
    public Func<IReadOnlyDictionary<TunnelState, int>> TunnelsByState { get; set; } = static () => new Dictionary<TunnelState, int>();

    public void RecordFrpcRestart(string server) => FrpcRestarts.GetOrAdd(server, static _ => new Counter()).Increment();
}
