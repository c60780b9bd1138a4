namespace Sidecar.Tunnels.Frpc;

/// <summary>Finds the frpc executable: a path as given, or a bare name searched on PATH like a shell does.</summary>
internal static class FrpcLocator
{
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <returns>The full path of an executable file, or null when there is none.</returns>
    public static string? Resolve(string frpcPath, string? pathVariable)
    {
        if (frpcPath.Contains('/'))
        {
            return IsExecutable(frpcPath) ? Path.GetFullPath(frpcPath) : null;
        }
        foreach (var directory in (pathVariable ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, frpcPath);
            if (IsExecutable(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    private static bool IsExecutable(string path)
    {
        try
        {
            return File.Exists(path) && (File.GetUnixFileMode(path) & AnyExecute) != 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
