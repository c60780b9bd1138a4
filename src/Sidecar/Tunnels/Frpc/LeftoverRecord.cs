using System.Globalization;

namespace Sidecar.Tunnels.Frpc;

/// <summary>
/// A pid record (<c>frpc-N.pid</c>: "PID STARTTIME" then the config path) left by an earlier run, and the
/// test whether the process it names is provably an frpc that run started. A record alone proves nothing
/// (it is only text): the process itself must show our uid, the configured frpc executable, our config
/// file after <c>-c</c> on its command line, and the recorded start time (a reused pid has another).
/// </summary>
internal sealed record LeftoverRecord(int Pid, long StartTime, string ConfigPath)
{
    /// <summary>Records are two short lines; anything longer is not one of ours.</summary>
    public const int MaxBytes = 4096;

    public static LeftoverRecord? Parse(string text)
    {
        var lines = text.Split('\n');
        if (lines.Length < 2)
        {
            return null;
        }
        var head = lines[0].Split(' ');
        return head.Length == 2
            && int.TryParse(head[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0
            && long.TryParse(head[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start) && start > 0
            && lines[1].Length > 0
            ? new LeftoverRecord(pid, start, lines[1])
            : null;
    }

    public string Format() => string.Create(CultureInfo.InvariantCulture, $"{Pid} {StartTime}\n{ConfigPath}\n");

    /// <summary>The recorded process still runs: same pid, same start time, not a zombie.</summary>
    public bool IsAlive => ProcInfo.StartTime(Pid) == StartTime;

    /// <summary>Why the running process is not provably ours, or null when it is.</summary>
    /// <param name="configPath">The config file this record's frpc was given: frpc-N.toml of our directory.</param>
    /// <param name="frpcExecutable">The configured frpc, resolved; null when it is not found.</param>
    /// <param name="uid">Our effective uid.</param>
    public string? WhyNotOurs(string configPath, string? frpcExecutable, uint uid)
    {
        if (!string.Equals(ConfigPath, configPath, StringComparison.Ordinal))
        {
            return $"the record names the config file '{ConfigPath}', not '{configPath}' of this state directory";
        }
        if (ProcInfo.Uids(Pid) is not var (real, effective) || real != uid || effective != uid)
        {
            return $"it does not run as uid {uid}";
        }
        if (frpcExecutable is null || !ProcInfo.RunsExecutable(Pid, frpcExecutable))
        {
            return $"its executable is not the configured frpc ({frpcExecutable ?? "not found"})";
        }
        var args = ProcInfo.CommandLine(Pid);
        var named = false;
        for (var i = 0; i + 1 < args.Count && !named; i++)
        {
            named = args[i] == "-c" && args[i + 1] == configPath;
        }
        return named ? null : $"its command line does not name '-c {configPath}'";
    }
}
