using System.Diagnostics;
using System.Text;
using Sidecar.Tunnels.Frpc;

namespace Sidecar.Tests.Support;

/// <summary>
/// Runs the real sidecar executable (the apphost copied next to the tests) as a child process, capturing
/// its output, so tests see exactly what a user sees: exit codes, stderr lines, signal handling.
/// </summary>
internal sealed class SidecarProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private SidecarProcess(Process process)
    {
        _process = process;
    }

    public static string ExecutablePath => Path.Combine(AppContext.BaseDirectory, "sidecar");

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Stdout { get { lock (_stdout) { return _stdout.ToString(); } } }

    public string Stderr { get { lock (_stderr) { return _stderr.ToString(); } } }

    public static SidecarProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null)
    {
        var info = new ProcessStartInfo(ExecutablePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        // Start from a clean slate: a developer's own SIDECAR_* variables must not leak into tests.
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("SIDECAR_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }
        foreach (var (name, value) in env ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        var process = new Process { StartInfo = info };
        var wrapper = new SidecarProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (wrapper._stdout) { wrapper._stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (wrapper._stderr) { wrapper._stderr.AppendLine(e.Data); } } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return wrapper;
    }

    /// <summary>Runs to completion and returns the exit code.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        await using var process = Start(args);
        var code = await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        return (code, process.Stdout, process.Stderr);
    }

    public async Task<bool> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Stdout.Contains(text, StringComparison.Ordinal) || Stderr.Contains(text, StringComparison.Ordinal))
            {
                return true;
            }
            if (_process.HasExited)
            {
                return false;
            }
            await Task.Delay(20);
        }
        return false;
    }

    public void Signal(int signal) => _ = Posix.Signal(_process.Id, signal);

    /// <summary>Whether this process ignores the signal (SigIgn in /proc/self/status); children inherit that.</summary>
    public static bool IsIgnoredHere(int signal)
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null
            && (ulong.Parse(line.AsSpan(7).Trim(), System.Globalization.NumberStyles.HexNumber) & (1UL << (signal - 1))) != 0;
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
}
