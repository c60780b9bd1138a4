using Microsoft.Extensions.Logging;

namespace Sidecar.ControlLoop;

internal sealed partial class ReconcileLoop
{
    // Event ids 4502, 4504, 4505 and 4506 kept from when the loop ran inside the discovery component.
    [LoggerMessage(ControlLoopEventIds.NotSynced, LogLevel.Warning, "No FRPServers read within {Seconds:0} s; serving what arrives later")]
    private partial void LogNotSynced(double seconds);

    [LoggerMessage(ControlLoopEventIds.LoopCrashed, LogLevel.Critical, "The reconcile loop stopped unexpectedly; DNS and tunnels no longer follow changes")]
    private partial void LogLoopCrashed(Exception exception);

    [LoggerMessage(ControlLoopEventIds.FirstLoad, LogLevel.Information, "Loaded {Resources} FRPServers from {Source}: {Endpoints} endpoints of mapped services")]
    private partial void LogLoaded(int resources, string source, int endpoints);

    [LoggerMessage(ControlLoopEventIds.PassFailed, LogLevel.Error, "A reconcile pass failed; retrying on the next change")]
    private partial void LogPassFailed(Exception exception);
}
