using System.Diagnostics;
using System.Globalization;
using Sidecar.Tests.Discovery.StandIn;

namespace Sidecar.Bench.Fleet;

/// <summary>One sidecar process, as a Pod would run it: Kubernetes source, its own token, DNS on its own port.</summary>
internal sealed class Pod : IDisposable
{
    private readonly Process _process;

    private Pod(Process process, StandInClientStats stats)
    {
        _process = process;
        Stats = stats;
    }

    public StandInClientStats Stats { get; }

    public static Pod Start(string binary, StandInKubeApiServer api, string work, int index, string mode)
    {
        var name = $"pod-{index}";
        var token = api.AddClient(name);
        var dir = Directory.CreateDirectory(Path.Combine(work, name)).FullName;
        var info = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            "--source", "kubernetes", "--kubeconfig", api.WriteKubeconfig(dir, token), "--discovery", mode,
            "--ip-range", $"127.{10 + index / 250}.{index % 250}.0/24", "--dns-addr", $"127.0.0.1:{20000 + index}",
            "--admin-addr", "", "--state-dir", Path.Combine(dir, "state"), "--mapped-services", $"svc-{index % 10}-0.fleet",
            "--dns-wait-for-tunnel=false", "--log-level", "warn",
        })
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info)!;
        var log = new StreamWriter(Path.Combine(dir, "log")) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new Pod(process, api.Clients.Single(c => c.Name == name));
    }

    public PodSample Snapshot() => new(Interlocked.Read(ref Stats.Requests), Interlocked.Read(ref Stats.Lists), Interlocked.Read(ref Stats.Watches),
        Interlocked.Read(ref Stats.Events), Interlocked.Read(ref Stats.BytesSent), CpuSeconds());

    /// <summary>utime + stime of the process (proc(5), fields 14 and 15, in clock ticks of 1/100 s).</summary>
    private double CpuSeconds()
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    public long RssKb()
    {
        try
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            return -1;
        }
    }

    public void Dispose()
    {
        try
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }
}

internal readonly record struct PodSample(long Requests, long Lists, long Watches, long Events, long Bytes, double CpuSeconds)
{
    public static PodSample operator -(PodSample a, PodSample b) =>
        new(a.Requests - b.Requests, a.Lists - b.Lists, a.Watches - b.Watches, a.Events - b.Events, a.Bytes - b.Bytes, a.CpuSeconds - b.CpuSeconds);
}
