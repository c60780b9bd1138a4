using System.Runtime.InteropServices;

namespace Sidecar.Tunnels.Frpc;

/// <summary>The few POSIX calls .NET does not expose: sending SIGTERM (Process.Kill sends SIGKILL).</summary>
internal static partial class Posix
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    /// <returns>True when the signal was delivered.</returns>
    public static bool Signal(int pid, int signal) => pid > 0 && Kill(pid, signal) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
