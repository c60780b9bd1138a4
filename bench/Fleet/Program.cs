using System.Diagnostics;
using System.Globalization;
using Sidecar.Bench.Fleet;
using Sidecar.Tests.Discovery.StandIn;

// usage: Fleet SIDECAR_BINARY watch|poll PODS SECONDS [SERVERS=10] [CONNECTIONS=50]
//        Fleet serve DIR SECONDS [SERVERS=10] [CONNECTIONS=50] [FRPSERVER.json]...
//            (stand-in + churn only, for bench/footprint.sh and bench/native.sh; each FRPServer file is served too,
//            rewritten once a second like the others)
if (args is ["serve", var serveDir, var serveSeconds, ..])
{
    await using var served = await StandInKubeApiServer.StartAsync();
    using var serveChurn = new ChurnLoop(served, args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 10,
        args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 50,
        [.. args.Skip(5).Select(f => System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(f))!.AsObject())]);
    Console.WriteLine($"kubeconfig {served.WriteKubeconfig(serveDir)}");
    Console.Out.Flush();
    await Task.Delay(TimeSpan.FromSeconds(int.Parse(serveSeconds, CultureInfo.InvariantCulture)));
    return 0;
}
if (args.Length < 4)
{
    Console.Error.WriteLine("usage: Fleet SIDECAR_BINARY watch|poll PODS SECONDS [SERVERS=10] [CONNECTIONS=50]");
    return 2;
}
var binary = args[0];
var mode = args[1];
var pods = int.Parse(args[2], CultureInfo.InvariantCulture);
var window = TimeSpan.FromSeconds(int.Parse(args[3], CultureInfo.InvariantCulture));
var servers = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 10;
var connections = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 50;
var work = Directory.CreateTempSubdirectory("sidecar-fleet-").FullName;

await using var api = await StandInKubeApiServer.StartAsync();
using var churn = new ChurnLoop(api, servers, connections);
Console.WriteLine($"== fleet, {mode}: {pods} sidecars, {servers} FRPServers × {connections} connections "
    + $"({churn.ObjectBytes / 1024.0:0.#} KB each), every status rewritten once a second");

var self = Process.GetCurrentProcess();

var fleet = new List<Pod>();
try
{
    for (var i = 0; i < pods; i++)
    {
        fleet.Add(Pod.Start(binary, api, work, i, mode));
        await Task.Delay(100); // a rollout, not 50 handshakes in the same millisecond on a 2-core machine
    }
    var ready = Stopwatch.StartNew();
    while (!fleet.All(p => p.Stats.Lists > 0 && (mode == "poll" || p.Stats.Watches > 0)) && ready.Elapsed < TimeSpan.FromMinutes(3))
    {
        await Task.Delay(200);
    }
    Console.WriteLine($"   all {fleet.Count(p => p.Stats.Lists > 0)} sidecars listed after {ready.Elapsed.TotalSeconds:0.0} s; measuring {window.TotalSeconds:0} s of steady state");
    await Task.Delay(TimeSpan.FromSeconds(5)); // start-up requests settle

    var before = fleet.Select(p => p.Snapshot()).ToList();
    self.Refresh();
    var cpuBefore = self.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    await Task.Delay(window);
    self.Refresh();
    var windowCpu = (self.TotalProcessorTime - cpuBefore).TotalSeconds / clock.Elapsed.TotalSeconds;
    var after = fleet.Select(p => p.Snapshot()).ToList();
    var seconds = clock.Elapsed.TotalSeconds;
    var rss = Stats.Median(fleet.Select(p => (double)p.RssKb()));
    var timeouts = fleet.SelectMany(p => p.Stats.WatchTimeouts).ToList();
    foreach (var pod in fleet)
    {
        pod.Dispose();
    }
    fleet.Clear();
    // Peer in the same run, measured after the window so both run warm (JIT tiered up): the churn alone, no client.
    var baseline = await CpuOverAsync(self, TimeSpan.FromSeconds(10));
    var apiCpu = windowCpu - baseline;
    Console.WriteLine($"   stand-in CPU: {windowCpu * 1000:0.0} ms/s with the fleet, {baseline * 1000:0.0} ms/s with no client (operator churn only)");
    var perHour = 3600 / seconds;

    var deltas = before.Zip(after, (b, a) => a - b).ToList();
    double Median(Func<PodSample, double> f) => Stats.Median(deltas.Select(f));
    var requests = Median(d => d.Requests) * perHour;
    var lists = Median(d => d.Lists) * perHour;
    var watches = Median(d => d.Watches) * perHour;
    var events = Median(d => d.Events) * perHour;
    var bytes = Median(d => d.Bytes) * perHour;
    var sidecarCpu = Median(d => d.CpuSeconds) / seconds;
    Console.WriteLine($"   per Pod-hour (median of {pods}): {requests:0.#} requests ({lists:0.#} LIST, {watches:0.#} WATCH), "
        + $"{events:0} events, {bytes / 1e6:0.##} MB from the API server");
    if (mode == "watch" && timeouts.Count > 0)
    {
        var mean = timeouts.Average();
        // A window shorter than a watch's life sees few renewals: the clients' own timeoutSeconds say how many an hour brings.
        var modelled = 3600 / mean + 3600 / (1.25 * 3600);
        Console.WriteLine($"   watch timeoutSeconds asked: {timeouts.Min()}–{timeouts.Max()} s (mean {mean:0}); steady state ≈ {modelled:0.#} requests/Pod-hour "
            + "(3600/mean watch renewals + the hourly ×[1,1.5) safety relist); target ≤ 15");
    }
    Console.WriteLine($"   API-side CPU per Pod (stand-in, above the churn-only peer): {apiCpu / pods * 1000:0.00} ms/s; "
        + $"sidecar CPU per Pod: {sidecarCpu * 1000:0.00} ms/s; sidecar RSS median {rss / 1024:0.0} MiB");
    const int Fleet = 10_000;
    Console.WriteLine($"   extrapolated to {Fleet:N0} Pods: {requests * Fleet / 3600:0.#} requests/s, {events * Fleet / 3600:N0} events/s, "
        + $"{bytes * Fleet / 3600 / 1e6:N0} MB/s, {apiCpu / pods * Fleet:0.#} stand-in cores");
    return 0;
}
finally
{
    foreach (var pod in fleet)
    {
        pod.Dispose();
    }
    try
    {
        Directory.Delete(work, recursive: true);
    }
    catch (IOException)
    {
        // A sidecar still closing its state directory; the temp directory is cleaned later.
    }
}

static async Task<double> CpuOverAsync(Process process, TimeSpan span)
{
    process.Refresh();
    var start = process.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    await Task.Delay(span);
    process.Refresh();
    return (process.TotalProcessorTime - start).TotalSeconds / clock.Elapsed.TotalSeconds;
}
