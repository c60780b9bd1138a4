using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Sidecar.Tunnels.Frpc;

/// <summary>
/// Owns the state directory: a lock file so one sidecar uses it at a time, and a pid record per frpc so a
/// sidecar that was SIGKILLed (and could not stop its children) has them stopped at its next start.
/// A record names the child's pid, its start time and its config path; a leftover is killed only when all
/// three still match, so a reused pid is never hit.
/// </summary>
internal sealed partial class ChildProcessRegistry(string stateDir, ILogger<ChildProcessRegistry> logger) : IDisposable
{
    private const string LockFileName = "sidecar.lock";
    private const string RecordExtension = ".pid";

    /// <summary>How long start-up waits for SIGKILLed leftovers to disappear.</summary>
    private static readonly TimeSpan LeftoverExitWait = TimeSpan.FromSeconds(5);

    private readonly Lock _openLock = new();
    private FileStream? _lock;

    public string StateDir => stateDir;

    /// <summary>
    /// Prepares the directory, takes its lock and stops leftovers of an earlier run; does nothing once it
    /// succeeded. Failure only matters to frpc visitors, so it is reported, not thrown.
    /// </summary>
    /// <param name="reason">Why the directory cannot be used, for the operator.</param>
    public bool TryOpen(out string? reason)
    {
        lock (_openLock)
        {
            reason = null;
            if (_lock is not null)
            {
                return true;
            }
            try
            {
                PrivateFiles.EnsureDirectory(stateDir);
                // FileShare.None takes an flock(2) on Unix: a second sidecar on the same directory fails here
                // instead of killing our children as "leftovers".
                _lock = new FileStream(Path.Combine(stateDir, LockFileName), new FileStreamOptions
                {
                    Mode = FileMode.OpenOrCreate,
                    Access = FileAccess.ReadWrite,
                    Share = FileShare.None,
                    UnixCreateMode = PrivateFiles.FileMode,
                });
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                reason = $"state directory '{stateDir}' cannot be used ({e.Message}); give --state-dir a private, writable directory not shared with another sidecar";
                return false;
            }
            ReapLeftovers();
            return true;
        }
    }

    public void Record(string name, int pid, string configPath)
    {
        var start = ProcInfo.StartTime(pid) ?? 0;
        var text = string.Create(CultureInfo.InvariantCulture, $"{pid} {start}\n{configPath}\n");
        PrivateFiles.WriteAtomic(RecordPath(name), text);
    }

    public void Forget(string name) => PrivateFiles.TryDelete(RecordPath(name));

    /// <returns>How many leftover processes were killed.</returns>
    public int ReapLeftovers()
    {
        var killed = new List<(int Pid, long Start, string ConfigPath)>();
        foreach (var record in Directory.EnumerateFiles(stateDir, "*" + RecordExtension))
        {
            if (TryReadRecord(record, out var pid, out var start, out var configPath) && IsRecorded(pid, start, configPath))
            {
                // SIGKILL at once: nobody is waiting for a graceful end of a process whose owner is gone.
                if (Posix.Signal(pid, Posix.SigKill))
                {
                    killed.Add((pid, start, configPath));
                    LogLeftoverKilled(pid, configPath);
                }
            }
            PrivateFiles.TryDelete(record);
        }
        // kill(2) only queues the signal: wait (bounded) until they are gone, so their visitors' ports are
        // free before the new frpc binds the same addresses.
        var deadline = Environment.TickCount64 + (long)LeftoverExitWait.TotalMilliseconds;
        while (killed.Exists(k => IsRecorded(k.Pid, k.Start, k.ConfigPath)) && Environment.TickCount64 < deadline)
        {
            Thread.Sleep(10);
        }
        // Config files of an earlier run hold secrets: nothing needs them any more.
        foreach (var pattern in (string[])["frpc-*.toml", "*.tmp"])
        {
            foreach (var file in Directory.EnumerateFiles(stateDir, pattern))
            {
                PrivateFiles.TryDelete(file);
            }
        }
        return killed.Count;
    }

    /// <summary>The recorded process still runs: same pid, same start time, our config on its command line
    /// (a zombie's command line is empty, and it holds no sockets).</summary>
    private static bool IsRecorded(int pid, long start, string configPath) =>
        start != 0 && ProcInfo.StartTime(pid) == start && ProcInfo.CommandLine(pid).Contains(configPath, StringComparer.Ordinal);

    private string RecordPath(string name) => Path.Combine(stateDir, name + RecordExtension);

    private static bool TryReadRecord(string path, out int pid, out long start, out string configPath)
    {
        pid = 0;
        start = 0;
        configPath = "";
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        if (lines.Length < 2)
        {
            return false;
        }
        var head = lines[0].Split(' ');
        configPath = lines[1];
        return head.Length == 2
            && int.TryParse(head[0], NumberStyles.None, CultureInfo.InvariantCulture, out pid)
            && long.TryParse(head[1], NumberStyles.None, CultureInfo.InvariantCulture, out start)
            && configPath.Length > 0;
    }

    public void Dispose()
    {
        lock (_openLock)
        {
            _lock?.Dispose();
            _lock = null;
        }
    }

    [LoggerMessage(5201, LogLevel.Warning, "Stopped leftover frpc (pid {Pid}, config {ConfigPath}) of an earlier run that ended without stopping it")]
    private partial void LogLeftoverKilled(int pid, string configPath);
}
