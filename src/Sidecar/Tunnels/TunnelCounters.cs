namespace Sidecar.Tunnels;

/// <summary>Monotonic counters for the metrics endpoint (issue of the admin server) and for tests.</summary>
internal sealed class TunnelCounters
{
    private long _frpcRestarts;
    private long _forwardedConnections;
    private long _rejectedConnections;
    private long _failedUpstreamConnects;

    /// <summary>frpc processes started again after they exited on their own.</summary>
    public long FrpcRestarts => Interlocked.Read(ref _frpcRestarts);

    public long ForwardedConnections => Interlocked.Read(ref _forwardedConnections);

    /// <summary>Connections refused because a forwarder was at its connection cap.</summary>
    public long RejectedConnections => Interlocked.Read(ref _rejectedConnections);

    public long FailedUpstreamConnects => Interlocked.Read(ref _failedUpstreamConnects);

    public void FrpcRestarted() => Interlocked.Increment(ref _frpcRestarts);

    public void ConnectionForwarded() => Interlocked.Increment(ref _forwardedConnections);

    public void ConnectionRejected() => Interlocked.Increment(ref _rejectedConnections);

    public void UpstreamConnectFailed() => Interlocked.Increment(ref _failedUpstreamConnects);
}
