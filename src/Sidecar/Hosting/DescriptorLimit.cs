using System.Runtime.InteropServices;

namespace Sidecar.Hosting;

/// <summary>
/// Raises the soft limit on open file descriptors to the hard limit at start, as the .NET runtime (CoreCLR)
/// and Go already do on their own; a Native AOT executable does not, and systemd services and some container
/// runtimes start processes with a soft limit of 1,024. The admin endpoint and DNS over TCP hold thousands of
/// idle connections on purpose (<see cref="Resilience.BoundedAcceptLoop"/>); at 1,024 a neighbour's
/// connections would exhaust descriptors long before those caps, and tunnels need descriptors too.
/// </summary>
internal static partial class DescriptorLimit
{
    /// <summary>RLIMIT_NOFILE on Linux (the same on every architecture .NET supports).</summary>
    private const int NoFile = 7;

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Soft;
        public ulong Hard;
    }

    /// <returns>The soft limit before and after; equal when it already was the hard limit or the call failed.</returns>
    public static (ulong Before, ulong After) RaiseSoftToHard()
    {
        if (GetRLimit(NoFile, out var limit) != 0)
        {
            return (0, 0);
        }
        var before = limit.Soft;
        if (limit.Soft >= limit.Hard)
        {
            return (before, before);
        }
        limit.Soft = limit.Hard;
        return SetRLimit(NoFile, in limit) == 0 ? (before, limit.Hard) : (before, before);
    }

    /// <summary>The soft and hard limits now (0, 0 when they cannot be read).</summary>
    public static (ulong Soft, ulong Hard) Current() => GetRLimit(NoFile, out var limit) == 0 ? (limit.Soft, limit.Hard) : (0, 0);

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRLimit(int resource, out RLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetRLimit(int resource, in RLimit limit);
}
