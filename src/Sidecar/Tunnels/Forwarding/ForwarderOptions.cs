namespace Sidecar.Tunnels.Forwarding;

/// <summary>Limits and timings of the tcp/udp forwarders; settable so tests can use small values.</summary>
internal sealed record ForwarderOptions
{
    /// <summary>How long a connect to frps's remote port may take before the client is dropped.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Open connections per tcp tunnel; beyond it new clients are reset at once.</summary>
    public int MaxConnections { get; init; } = 4096;

    /// <summary>Copy buffer per direction, rented from the shared pool only while data flows.</summary>
    public int BufferSize { get; init; } = 64 * 1024;

    public int ListenBacklog { get; init; } = 512;

    /// <summary>A UDP flow with no datagram either way for this long is closed (like a NAT mapping).</summary>
    public TimeSpan UdpIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>UDP client flows per tunnel; datagrams of further new clients are dropped.</summary>
    public int MaxUdpFlows { get; init; } = 1024;

    public TimeSpan BindRetryInitial { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan BindRetryMax { get; init; } = TimeSpan.FromSeconds(30);
}
