using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Sidecar.Bench.Fleet;
using Sidecar.Discovery;
using Sidecar.Discovery.Kubernetes;

namespace Sidecar.Bench;

/// <summary>
/// The operator's status rewrite (bench/Fleet's <see cref="OperatorChurn"/>: 50 connections, last-applied annotation,
/// managedFields, new counters and times each tick) applied as the watch loop applies it, one event at a time.
/// Peer, in the same run: the path every rewrite took before ChurnFilter (and a rewrite whose used fields changed
/// still takes): WatchLine.Parse, then ResourceCache.Upsert, which finds it equal and keeps the stored object.
/// </summary>
internal static class ChurnBench
{
    private const int Ticks = 8;
    private const int Rounds = 11;

    public static void Run(int events)
    {
        var lines = Enumerable.Range(1, Ticks).Select(tick =>
        {
            var server = OperatorChurn.Server(0, connections: 50, tick);
            server["metadata"]!["resourceVersion"] = (1000 + tick).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Encoding.UTF8.GetBytes(new JsonObject { ["type"] = "MODIFIED", ["object"] = server }.ToJsonString());
        }).ToArray();
        Console.WriteLine($"event: one FRPServer, 50 connections, a {lines[0].Length / 1024.0:0.0} KB watch line; {events} events per round, {Rounds} rounds interleaved");

        var cache = new ResourceCache();
        var filter = new ChurnFilter(cache, 0);
        var position = new WatchPosition("1");
        filter.Absorb(lines[0], position);
        cache.Upsert(WatchLine.Parse(lines[0]).Server!, 0, filter.Digest);
        Console.WriteLine($"used-fields digest kept with the cached resource: {filter.Digest.Length} bytes");

        var peerCache = new ResourceCache(); // its own: an Upsert without a digest drops the entry's
        peerCache.Upsert(WatchLine.Parse(lines[0]).Server!, 0);
        var stored = peerCache.Snapshot().Single();
        bool Decode(byte[] line)
        {
            peerCache.Upsert(WatchLine.Parse(line).Server!, 0);
            return true; // found equal: checked after the rounds, so the check allocates nothing here
        }
        bool Skip(byte[] line) => filter.Absorb(line, position);

        var (decode, skip) = (new Figures(), new Figures());
        for (var round = -1; round < Rounds; round++)
        {
            // Round -1 warms both up (tiered compilation) and is not counted.
            decode.Round(Decode, lines, events, counted: round >= 0);
            skip.Round(Skip, lines, events, counted: round >= 0);
        }
        if (!ReferenceEquals(stored, peerCache.Snapshot().Single()))
        {
            throw new InvalidOperationException("the peer stored a counters-only rewrite");
        }
        Console.WriteLine($"  peer: decode + Upsert (before)      {decode}");
        Console.WriteLine($"  ChurnFilter.Absorb (now)            {skip}");
        Console.WriteLine($"  at 10 FRPServers rewritten once a second: {decode.BytesPerEvent * 10 / 1024.0:0.0} KB/s of garbage before, "
            + $"{skip.BytesPerEvent * 10 / 1024.0:0.000} KB/s now");
    }

    private sealed class Figures
    {
        private readonly List<double> _microseconds = [];
        private readonly List<double> _bytes = [];
        private int _collections;
        private long _events;

        public double BytesPerEvent => Stats.Percentile(_bytes, 50);

        public void Round(Func<byte[], bool> apply, byte[][] lines, int events, bool counted)
        {
            var gen0 = GC.CollectionCount(0);
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < events; i++)
            {
                if (!apply(lines[i % lines.Length]))
                {
                    throw new InvalidOperationException("a counters-only rewrite was not recognised");
                }
            }
            var elapsed = Stopwatch.GetElapsedTime(start);
            if (counted)
            {
                _microseconds.Add(elapsed.TotalMicroseconds / events);
                _bytes.Add((GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)events);
                _collections += GC.CollectionCount(0) - gen0;
                _events += events;
            }
        }

        public override string ToString() =>
            $"allocated {BytesPerEvent,9:0.0} B/event (median of rounds)   time median {Stats.Percentile(_microseconds, 50),7:0.0} µs/event "
            + $"(rounds p99 {Stats.Percentile(_microseconds, 99),7:0.0})   gen0 collections {_collections * 1000.0 / _events:0.00} per 1000 events";
    }
}
