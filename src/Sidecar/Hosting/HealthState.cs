namespace Sidecar.Hosting;

/// <summary>
/// Whether the sidecar is ready and live, as its components report it; /healthz and /readyz (Admin/) only
/// render it. Ready means names can resolve: the DNS listener is bound and the first successful sync has
/// been applied, so a Pod does not start its application before that. Live means nothing that should run
/// forever has stopped: the DNS loops, and discovery (its source and its reconcile loop), so the kubelet
/// restarts a sidecar that would otherwise serve stale names for good.
/// </summary>
internal sealed class HealthState
{
    private int _dnsBound;
    private int _synced;
    private volatile string? _stopped;

    /// <summary>True while the DNS receive loops run; set by the composition root.</summary>
    public Func<bool> DnsLoopsAlive { get; set; } = static () => true;

    public bool IsDnsBound => Volatile.Read(ref _dnsBound) == 1;

    public bool HasSynced => Volatile.Read(ref _synced) == 1;

    public bool IsReady => IsDnsBound && HasSynced;

    /// <summary>What stopped for good, or null; the first one reported.</summary>
    public string? Stopped => _stopped ?? (DnsLoopsAlive() ? null : "dns loops stopped");

    public bool IsLive => Stopped is null;

    /// <summary>Something that should run until shutdown stopped (a bug); /healthz turns 503.</summary>
    public void MarkStopped(string what) => Interlocked.CompareExchange(ref _stopped, what, null);

    public void MarkDnsBound() => Volatile.Write(ref _dnsBound, 1);

    public void MarkSynced() => Volatile.Write(ref _synced, 1);
}
