using Sidecar.Observability;

namespace Sidecar.Tunnels;

/// <summary>
/// What the tunnels count: kept here for tests and diagnostics, and passed on to the exported
/// <see cref="SidecarMetrics"/> when the composition root provides them. All lock-free, no allocation.
/// </summary>
internal sealed class TunnelCounters(SidecarMetrics? metrics = null)
{
    private long _frpcRestarts;
    private long _forwardedConnections;
    private long _rejectedConnections;
    private long _failedUpstreamConnects;

    /// <summary>frpc processes started again after they exited on their own.</summary>
    public long FrpcRestarts => Interlocked.Read(ref _frpcRestarts);

    public long ForwardedConnections => Interlocked.Read(ref _forwardedConnections);

    /// <summary>Connections refused (or UDP datagrams of new clients dropped) at a forwarder's cap.</summary>
    public long RejectedConnections => Interlocked.Read(ref _rejectedConnections);

    public long FailedUpstreamConnects => Interlocked.Read(ref _failedUpstreamConnects);

    /// <param name="server">The FRPServer resource name, the metric's label.</param>
    public void FrpcRestarted(string server)
    {
        Interlocked.Increment(ref _frpcRestarts);
        metrics?.RecordFrpcRestart(server);
    }

    public void ConnectionForwarded()
    {
        Interlocked.Increment(ref _forwardedConnections);
        metrics?.ForwarderConnections.Increment();
        metrics?.ForwarderActiveConnections.Increment();
    }

    public void ForwardedConnectionClosed() => metrics?.ForwarderActiveConnections.Decrement();

    public void ConnectionRejected() => Interlocked.Increment(ref _rejectedConnections);

    public void UpstreamConnectFailed() => Interlocked.Increment(ref _failedUpstreamConnects);

    /// <summary>Bytes from applications towards frps.</summary>
    public void BytesUp(int count) => metrics?.ForwarderBytesUp.Add(count);

    /// <summary>Bytes from frps back to applications.</summary>
    public void BytesDown(int count) => metrics?.ForwarderBytesDown.Add(count);
}
