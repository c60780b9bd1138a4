using Sidecar.Discovery;
using Sidecar.Discovery.Kubernetes;

namespace Sidecar.Bench;

/// <summary>
/// The whole watch path under the operator's churn, over TLS from a stand-in API server in another process
/// (bench/Fleet's <c>serve</c>), so that this process's allocation counter holds the client alone: the product's
/// KubeApiClient reads the stream, and each line is applied as the watch loop applies it. Rounds alternate
/// between ChurnFilter before the decode (now) and the decode of every line (the peer, as before).
/// </summary>
internal static class ChurnWatchBench
{
    public static async Task RunAsync(string kubeconfig, int seconds, int rounds)
    {
        using var client = KubeApiClient.Create(KubeConfigLoader.Load(kubeconfig), TimeSpan.FromSeconds(20));
        var list = await client.ListAsync(ResourceScope.All, KubeApiClient.AnyVersion, default);
        Console.WriteLine($"watch: {list.Items!.Count} FRPServers over TLS, each rewritten once a second; rounds of {seconds} s, the first of each not counted");
        var figures = new Dictionary<bool, List<double>> { [true] = [], [false] = [] };
        for (var round = -1; round < rounds; round++)
        {
            foreach (var filtered in new[] { true, false })
            {
                // From the newest version: the stand-in keeps 1,000 changes, fewer than a run makes.
                var current = await client.ListAsync(ResourceScope.All, KubeApiClient.AnyVersion, default);
                var perEvent = await RoundAsync(client, current.Metadata!.ResourceVersion ?? "0", filtered, seconds);
                if (round >= 0)
                {
                    figures[filtered].Add(perEvent);
                }
            }
        }
        Console.WriteLine($"  peer: decode every line (before)    allocated {Stats.Percentile(figures[false], 50),9:0} B/event, whole process (median of {rounds} rounds)");
        Console.WriteLine($"  ChurnFilter first (now)             allocated {Stats.Percentile(figures[true], 50),9:0} B/event, whole process (median of {rounds} rounds)");
    }

    /// <returns>Bytes allocated by the whole process per watch event.</returns>
    private static async Task<double> RoundAsync(KubeApiClient client, string resourceVersion, bool filtered, int seconds)
    {
        var cache = new ResourceCache();
        var filter = new ChurnFilter(cache, 0);
        var position = new WatchPosition(resourceVersion);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        long events = 0, allocatedAtStart = 0;
        var warm = TimeSpan.FromSeconds(Math.Min(5, seconds / 3.0));
        var started = DateTime.UtcNow;
        Func<ReadOnlySpan<byte>, bool>? unchanged = filtered ? line => filter.Absorb(line, position) : null;
        try
        {
            await foreach (var e in client.WatchAsync(ResourceScope.All, resourceVersion, TimeSpan.FromSeconds(seconds + 30), stop.Token, unchanged))
            {
                if (allocatedAtStart == 0 && DateTime.UtcNow - started > warm)
                {
                    allocatedAtStart = GC.GetTotalAllocatedBytes(precise: true); // after the first events of each resource
                }
                else if (allocatedAtStart != 0)
                {
                    events++;
                }
                if (!e.IsUnchanged && e.Server is { } server && e.Type is "ADDED" or "MODIFIED")
                {
                    cache.Upsert(server, 0, filtered ? filter.Digest : default);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // the round is over
        }
        if (events == 0)
        {
            throw new InvalidOperationException("no watch events in a round");
        }
        return (GC.GetTotalAllocatedBytes(precise: true) - allocatedAtStart) / (double)events;
    }
}
