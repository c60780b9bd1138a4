namespace Sidecar.Tunnels;

/// <summary>Why an frpc could not be started (no process ran); the <c>reason</c> of <c>sidecar_frpc_start_failures_total</c>.</summary>
internal enum FrpcStartFailure
{
    /// <summary>No executable at --frpc-path (or on PATH): e.g. the default image, which ships without frpc.</summary>
    NotFound,
    /// <summary>The state directory cannot hold its config (locked by another sidecar, cannot be created).</summary>
    StateDirectory,
    /// <summary>The executable was found but exec failed (permissions, wrong architecture).</summary>
    ExecFailed,
}

/// <summary>The metric label of each <see cref="FrpcStartFailure"/>, so the renderer never sees the enum.</summary>
internal static class FrpcStartFailureLabels
{
    public static string Of(FrpcStartFailure reason) => reason switch
    {
        FrpcStartFailure.NotFound => "not_found",
        FrpcStartFailure.StateDirectory => "state_dir",
        _ => "exec_failed",
    };
}
