using System.Globalization;

namespace Sidecar.Tunnels.Frpc;

/// <summary>
/// Reads /proc (proc(5)) to recognise a process again: a pid alone may have been reused by the time we
/// look, so a process is "the same" only if its start time (stat field 22) matches too.
/// </summary>
internal static class ProcInfo
{
    /// <returns>The start time in clock ticks since boot, or null when the process does not exist.</returns>
    public static long? StartTime(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 (state); field 22 (starttime) is fields[19]. A zombie is as good as gone.
        if (fields.Length < 20 || fields[0] == "Z")
        {
            return null;
        }
        return long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start) ? start : null;
    }

    /// <returns>The process's argv, or an empty list when it does not exist.</returns>
    public static IReadOnlyList<string> CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <returns>The real and effective uid (the "Uid:" line of /proc/PID/status), or null when unreadable.</returns>
    public static (uint Real, uint Effective)? Uids(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (!line.StartsWith("Uid:", StringComparison.Ordinal))
                {
                    continue;
                }
                var ids = line[4..].Split('\t', StringSplitOptions.RemoveEmptyEntries);
                return ids.Length >= 2
                    && uint.TryParse(ids[0], NumberStyles.None, CultureInfo.InvariantCulture, out var real)
                    && uint.TryParse(ids[1], NumberStyles.None, CultureInfo.InvariantCulture, out var effective)
                    ? (real, effective)
                    : null;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }

    /// <returns>
    /// Whether the process runs <paramref name="executable"/>: /proc/PID/exe and the file are the same inode
    /// (symlinks, merged /usr and bind mounts do not matter; a binary replaced since the start does).
    /// False when either cannot be examined, e.g. another user's process.
    /// </returns>
    public static bool RunsExecutable(int pid, string executable) =>
        Posix.StatX(Posix.AtFdCwd, $"/proc/{pid}/exe", 0, FileStatus.BasicMask, out var running) == 0
        && Posix.StatX(Posix.AtFdCwd, executable, 0, FileStatus.BasicMask, out var configured) == 0
        && running.IsSameFile(configured);
}
