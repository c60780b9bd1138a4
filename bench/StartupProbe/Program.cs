// Execs a program and measures the time from exec to the first DNS answer on a UDP address, sending a
// query every millisecond from this one process (dig takes ~18 ms to start, too slow to time a start-up).
// Also the CPU time the program had used when it answered (all its threads, from /proc/PID/task/*/schedstat:
// nanoseconds on a CPU), which a loaded machine barely changes, unlike the wall time, and its page faults by then.
// Then samples the program's idle RSS after a settle time, and stops it with SIGTERM.
// usage: StartupProbe HOST PORT NAME SETTLE_MS -- PROGRAM ARGS...
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

var separator = Array.IndexOf(args, "--");
if (separator != 4 || args.Length < 6)
{
    Console.Error.WriteLine("usage: StartupProbe HOST PORT NAME SETTLE_MS -- PROGRAM ARGS...");
    return 2;
}
var server = new IPEndPoint(IPAddress.Parse(args[0]), int.Parse(args[1], CultureInfo.InvariantCulture));
var query = BuildQuery(args[2]);
var settle = TimeSpan.FromMilliseconds(int.Parse(args[3], CultureInfo.InvariantCulture));

using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
socket.Connect(server);
var buffer = new byte[512];

var info = new ProcessStartInfo(args[5]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
foreach (var arg in args[6..])
{
    info.ArgumentList.Add(arg);
}
var clock = Stopwatch.StartNew();
using var process = Process.Start(info)!;

double? firstAnswerMs = null;
double? cpuMs = null;
long? faults = null;
while (clock.Elapsed < TimeSpan.FromSeconds(10) && !process.HasExited)
{
    try
    {
        socket.Send(query);
        if (socket.Poll(1000, SelectMode.SelectRead))
        {
            var n = socket.Receive(buffer);
            // The first answer that carries the record: before its first read of the resources, the sidecar
            // answers NXDOMAIN, which a client would cache, so that one does not count as started.
            if (n >= 12 && buffer[0] == query[0] && buffer[1] == query[1] && (buffer[3] & 0x0F) == 0 && (buffer[6] << 8 | buffer[7]) > 0)
            {
                firstAnswerMs = clock.Elapsed.TotalMilliseconds;
                cpuMs = ReadCpuMs(process.Id);
                faults = ReadMinorFaults(process.Id);
                break;
            }
        }
    }
    catch (SocketException)
    {
        // ICMP port unreachable before the server binds: try again in a millisecond.
        Thread.Sleep(1);
    }
}

// The program's output is drained only from here on. Reading it during the start-up would put this probe's own
// work (thread-pool readers, their JIT compilation: ~20 ms of CPU on the first lines) on the same two cores as
// the start-up it times, and only for programs that log at start; a pipe holds 64 KiB, far more than a start-up
// writes, so the program never waits on it. In a Pod the reader is the container runtime, another process that
// is already running.
process.OutputDataReceived += (_, _) => { };
process.ErrorDataReceived += (_, _) => { };
process.BeginOutputReadLine();
process.BeginErrorReadLine();
Thread.Sleep(settle);
var rssKb = process.HasExited ? -1 : ReadRssKb(process.Id);
process.Kill(); // SIGKILL is fine here: footprint only.
process.WaitForExit();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"first_answer_ms={(firstAnswerMs is { } ms ? ms.ToString("0.00", CultureInfo.InvariantCulture) : "none")} rss_kb={rssKb} cpu_ms={(cpuMs is { } cpu ? cpu.ToString("0.00", CultureInfo.InvariantCulture) : "none")} minor_faults={(faults is { } f ? f.ToString(CultureInfo.InvariantCulture) : "none")}"));
return firstAnswerMs is null ? 1 : 0;

static byte[] BuildQuery(string name)
{
    var bytes = new List<byte> { 0xBE, 0xEF, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
    foreach (var label in name.TrimEnd('.').Split('.'))
    {
        bytes.Add((byte)label.Length);
        bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
    }
    bytes.AddRange([0, 0, 1, 0, 1]);
    return [.. bytes];
}

static long ReadRssKb(int pid)
{
    foreach (var line in File.ReadLines($"/proc/{pid}/status"))
    {
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
        {
            return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
        }
    }
    return -1;
}

// Page faults by the first answer (all threads: /proc/PID/stat's minflt, field 10): on a virtual machine each
// costs microseconds, and start-up's faults (binary data written, GC heap and stacks touched) add up.
static long? ReadMinorFaults(int pid)
{
    try
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[7], CultureInfo.InvariantCulture); // field 10 counted from pid; 3 is fields[0]
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
    {
        return null;
    }
}

static double? ReadCpuMs(int pid)
{
    try
    {
        long ns = 0;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            ns += long.Parse(File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ')[0], CultureInfo.InvariantCulture);
        }
        return ns / 1e6;
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
    {
        return null; // exited, or schedstat not available
    }
}
