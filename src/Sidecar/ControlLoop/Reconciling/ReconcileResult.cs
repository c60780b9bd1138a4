namespace Sidecar.ControlLoop.Reconciling;

/// <summary>What one reconcile pass did; all zero when the desired state equalled the current one.</summary>
internal readonly record struct ReconcileResult(int Added, int Removed, int Changed, int Unplaced, bool Published)
{
    public bool DidWork => Added + Removed + Changed > 0 || Published;
}
