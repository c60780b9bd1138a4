namespace Sidecar.Tunnels.Frpc;

/// <summary>How frpc children are run; the timings are settable so tests need not wait for production values.</summary>
/// <param name="StateDir">The state directory; null for a fresh private one (<see cref="StateDirectoryLocation"/>).</param>
/// <param name="FrpcPath">The frpc executable: a path, or a bare name searched on PATH.</param>
internal sealed record FrpcOptions(string? StateDir, string FrpcPath)
{
    /// <summary>First restart delay after frpc exits.</summary>
    public TimeSpan RestartInitial { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of the restart delay in a crash loop (frpc's own reconnect backoff also tops out near 20–30 s).</summary>
    public TimeSpan RestartMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A run at least this long was healthy: the next failure starts the backoff afresh.</summary>
    public TimeSpan StableRun { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a starting visitor's local address is probed.</summary>
    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromMilliseconds(250);
}
