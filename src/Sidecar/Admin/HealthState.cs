namespace Sidecar.Admin;

/// <summary>
/// What /healthz and /readyz report. Ready means names can resolve: the DNS listener is bound and the first
/// successful sync has been applied, so a Pod does not start its application before that.
/// </summary>
internal sealed class HealthState
{
    private int _dnsBound;
    private int _synced;

    /// <summary>True while the DNS receive loops run; set by the composition root.</summary>
    public Func<bool> DnsLoopsAlive { get; set; } = static () => true;

    public bool IsDnsBound => Volatile.Read(ref _dnsBound) == 1;

    public bool HasSynced => Volatile.Read(ref _synced) == 1;

    public bool IsReady => IsDnsBound && HasSynced;

    public void MarkDnsBound() => Volatile.Write(ref _dnsBound, 1);

    public void MarkSynced() => Volatile.Write(ref _synced, 1);
}
