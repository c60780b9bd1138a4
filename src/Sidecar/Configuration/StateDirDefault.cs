namespace Sidecar.Configuration;

/// <summary>
/// The state directory when neither --state-dir nor SIDECAR_STATE_DIR names one: never a predictable shared
/// path (another local user could make /tmp/sidecar first and own it). In order: the directory systemd made
/// for the service ($STATE_DIRECTORY, $RUNTIME_DIRECTORY; systemd.exec(5)), /run/sidecar for root, the
/// user's own runtime directory ($XDG_RUNTIME_DIR/sidecar), else none: the tunnels then make a fresh private
/// one with mkdtemp(3) semantics.
/// </summary>
internal static class StateDirDefault
{
    public const string Description =
        "$STATE_DIRECTORY or $RUNTIME_DIRECTORY (systemd), else /run/sidecar as root, else $XDG_RUNTIME_DIR/sidecar, else a new private directory under /tmp";

    public const string RootDirectory = "/run/sidecar";

    /// <returns>The directory, or null for a fresh private one.</returns>
    public static string? Choose(Func<string, string?> environment, bool isRoot)
    {
        // systemd joins several StateDirectory=/RuntimeDirectory= entries with ':'; ours is the first.
        foreach (var name in (string[])["STATE_DIRECTORY", "RUNTIME_DIRECTORY"])
        {
            if (FirstAbsolute(environment(name)) is { } systemd)
            {
                return systemd;
            }
        }
        if (isRoot)
        {
            return RootDirectory;
        }
        // The XDG Base Directory spec: a relative $XDG_RUNTIME_DIR is invalid and ignored.
        return FirstAbsolute(environment("XDG_RUNTIME_DIR")) is { } runtime ? Path.Combine(runtime, "sidecar") : null;
    }

    private static string? FirstAbsolute(string? value) =>
        value?.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is [var first, ..] && Path.IsPathRooted(first)
            ? first
            : null;
}
