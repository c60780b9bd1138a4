using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Sidecar.Tunnels.Frpc;

/// <summary>
/// Owns the state directory: opened and checked once (<see cref="StateDirectory"/>), a lock file so one
/// sidecar uses it at a time, and a pid record per frpc so a sidecar that was SIGKILLed (and could not stop
/// its children) has them stopped at its next start — only those provably its own (<see cref="LeftoverRecord"/>).
/// </summary>
internal sealed partial class ChildProcessRegistry(StateDirectoryLocation location, string frpcPath, ILogger<ChildProcessRegistry> logger) : IDisposable
{
    private const string LockFileName = "sidecar.lock";
    private const string RecordExtension = ".pid";
    private const string ConfigExtension = ".toml";

    /// <summary>How long start-up waits for SIGKILLed leftovers to disappear.</summary>
    private static readonly TimeSpan LeftoverExitWait = TimeSpan.FromSeconds(5);

    private readonly Lock _openLock = new();
    private StateDirectory? _directory;
    private SafeFileHandle? _lock;

    /// <summary>The directory, once opened and locked; null before (or when another sidecar holds it).</summary>
    public StateDirectory? Directory => Volatile.Read(ref _directory);

    /// <summary>
    /// Opens and checks the directory, takes its lock and stops leftovers of an earlier run; does nothing
    /// once it succeeded.
    /// </summary>
    /// <exception cref="StateDirectoryException">It cannot be used (yet); <see cref="StateDirectoryException.IsUnsafe"/> says whether ever.</exception>
    public StateDirectory Open()
    {
        lock (_openLock)
        {
            if (_directory is not null)
            {
                return _directory;
            }
            StateDirectory directory;
            try
            {
                directory = location.Open();
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // A static binary whose libc calls are not linked in: what cannot be checked is not used.
                throw new StateDirectoryException($"the state directory cannot be checked: {e.Message}", isUnsafe: false);
            }
            SafeFileHandle? held;
            try
            {
                // flock(2): a second sidecar on the same directory stops here instead of killing our children
                // as "leftovers" or deleting our files.
                held = directory.TryLock(LockFileName);
            }
            catch (IOException e)
            {
                directory.Dispose();
                throw new StateDirectoryException($"state directory '{directory.Path}' cannot be used ({e.Message}); give --state-dir a private, writable directory", isUnsafe: false);
            }
            if (held is null)
            {
                directory.Dispose();
                throw new StateDirectoryException($"state directory '{directory.Path}' cannot be used (another sidecar holds its lock); give each sidecar its own --state-dir", isUnsafe: false);
            }
            _lock = held;
            if (location.IsTemporary)
            {
                LogPrivateDirectory(directory.Path);
            }
            ReapLeftovers(directory);
            Volatile.Write(ref _directory, directory);
            return directory;
        }
    }

    public static string ConfigName(string name) => name + ConfigExtension;

    public void Record(string name, int pid)
    {
        var directory = Directory ?? throw new InvalidOperationException("the state directory is not open");
        var record = new LeftoverRecord(pid, ProcInfo.StartTime(pid) ?? 0, directory.PathOf(ConfigName(name)));
        directory.WriteAtomic(name + RecordExtension, record.Format());
    }

    public void Forget(string name) => Directory?.TryDelete(name + RecordExtension);

    /// <returns>How many leftover processes were killed.</returns>
    private int ReapLeftovers(StateDirectory directory)
    {
        var frpc = FrpcLocator.Resolve(frpcPath, Environment.GetEnvironmentVariable("PATH"));
        var uid = Posix.GetEffectiveUid();
        var killed = new List<LeftoverRecord>();
        foreach (var file in directory.Names().Where(n => n.EndsWith(RecordExtension, StringComparison.Ordinal)))
        {
            var text = directory.TryReadText(file, LeftoverRecord.MaxBytes);
            if (text is not null && LeftoverRecord.Parse(text) is { IsAlive: true } record)
            {
                var configPath = directory.PathOf(ConfigName(file[..^RecordExtension.Length]));
                if (record.WhyNotOurs(configPath, frpc, uid) is { } reason)
                {
                    LogLeftoverNotOurs(record.Pid, file, reason);
                }
                else if (Posix.Signal(record.Pid, Posix.SigKill))
                {
                    // SIGKILL at once: nobody is waiting for a graceful end of a process whose owner is gone.
                    killed.Add(record);
                    LogLeftoverKilled(record.Pid, record.ConfigPath);
                }
            }
            directory.TryDelete(file);
        }
        // kill(2) only queues the signal: wait (bounded) until they are gone, so their visitors' ports are
        // free before the new frpc binds the same addresses.
        var deadline = Environment.TickCount64 + (long)LeftoverExitWait.TotalMilliseconds;
        while (killed.Exists(k => k.IsAlive) && Environment.TickCount64 < deadline)
        {
            Thread.Sleep(10);
        }
        // Config files of an earlier run hold secrets: nothing needs them any more.
        foreach (var name in directory.Names())
        {
            if (name.StartsWith("frpc-", StringComparison.Ordinal) && name.EndsWith(ConfigExtension, StringComparison.Ordinal)
                || name.EndsWith(".tmp", StringComparison.Ordinal))
            {
                directory.TryDelete(name);
            }
        }
        return killed.Count;
    }

    public void Dispose()
    {
        lock (_openLock)
        {
            _lock?.Dispose();
            _lock = null;
            if (_directory is { } directory)
            {
                location.Release(directory);
            }
            _directory = null;
        }
    }

    [LoggerMessage(TunnelEventIds.LeftoverKilled, LogLevel.Warning, "Stopped leftover frpc (pid {Pid}, config {ConfigPath}) of an earlier run that ended without stopping it")]
    private partial void LogLeftoverKilled(int pid, string configPath);

    [LoggerMessage(TunnelEventIds.PrivateDirectory, LogLevel.Information, "No state directory configured ($STATE_DIRECTORY, $RUNTIME_DIRECTORY, $XDG_RUNTIME_DIR unset): using the new private directory {Path}, removed at exit")]
    private partial void LogPrivateDirectory(string path);

    [LoggerMessage(TunnelEventIds.LeftoverNotOurs, LogLevel.Warning, "Left pid {Pid} running: pid record {Record} names it, but {Reason}, so it is not provably an frpc of this sidecar")]
    private partial void LogLeftoverNotOurs(int pid, string record, string reason);
}
