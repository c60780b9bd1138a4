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
}
