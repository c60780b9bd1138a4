using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Sidecar.Addressing;
using Sidecar.Configuration;
using Sidecar.ControlLoop.Extraction;
using Sidecar.Discovery.Kubernetes;
using Sidecar.Discovery.Model;
using Sidecar.Discovery;
using Sidecar.Dns;
using Sidecar.ControlLoop.Reconciling;
using Sidecar.Tests.Support;
using Sidecar.Tunnels;

namespace Sidecar.Bench;

/// <summary>
/// One FRPServer with 10,000 active connections (1,000 of them for 100 mapped services × 10 ports), rewritten
/// with new counters each pass, as frps does every second: decode + extract + reconcile.
/// </summary>
internal static class ReconcileBench
{
    private const int Connections = 10_000;
    private const int Services = 100;
    private const int PortsPerService = 10;

    public static void Run(int passes)
    {
        var rules = new EndpointRules(
            Enumerable.Range(0, Services).ToDictionary(i => $"svc{i}.bench", i => new MappedService($"svc{i}.bench", null)), "127.0.0.1", null);
        string[] rewrites = [Build(1, changeOne: false), Build(2, changeOne: false), Build(3, changeOne: true)];
        Console.WriteLine($"resource: {Connections} connections, a {rewrites[0].Length / 1024} KiB watch line, {Services * PortsPerService} mapped endpoints");

        var cache = new ResourceCache();
        var extractor = new EndpointExtractor(rules, NullLogger<EndpointExtractor>.Instance);
        var reconciler = NewReconciler();
        Pass(rewrites[0], cache, extractor, reconciler, out _, out _);

        var decode = new List<double>();
        var reconcile = new List<double>();
        // Warm up, then measure memory across the measured passes: steady state must not grow.
        for (var i = 0; i < 50; i++)
        {
            Pass(rewrites[i % 2], cache, extractor, reconciler, out _, out _);
        }
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < passes; i++)
        {
            var result = Pass(rewrites[i % 2], cache, extractor, reconciler, out var d, out var r);
            if (result.DidWork)
            {
                throw new InvalidOperationException("a counters-only rewrite did work");
            }
            decode.Add(d);
            reconcile.Add(r);
        }
        var perPass = (GC.GetAllocatedBytesForCurrentThread() - allocated) / passes;
        var after = GC.GetTotalMemory(forceFullCollection: true);

        Console.WriteLine($"  decode 10k-connection watch line   {Stats.Describe(decode)}");
        Console.WriteLine($"  extract + reconcile (no change)    {Stats.Describe(reconcile)}");
        Console.WriteLine($"  total per status rewrite           {Stats.Describe(decode.Zip(reconcile, (a, b) => a + b).ToList())}");
        Console.WriteLine($"  heap after {passes} passes: {(after - before) / 1024.0:+0.0;-0.0} KiB (before {before / 1024} KiB); allocated {perPass / 1024} KiB per pass (garbage)");

        var changed = new List<double>();
        for (var i = 0; i < 50; i++)
        {
            Pass(rewrites[1], cache, extractor, reconciler, out _, out _);
            var result = Pass(rewrites[2], cache, extractor, reconciler, out var d, out var r);
            if (result.Changed != 1)
            {
                throw new InvalidOperationException($"expected one changed endpoint, got {result}");
            }
            changed.Add(d + r);
        }
        Console.WriteLine($"  one endpoint changed (total)       {Stats.Describe(changed)}");

        // Peer: no diffing, i.e. rebuilding addresses, tunnels and DNS from scratch on every rewrite.
        var rebuild = new List<double>();
        for (var i = 0; i < Math.Min(passes, 100); i++)
        {
            var freshCache = new ResourceCache();
            var freshExtractor = new EndpointExtractor(rules, NullLogger<EndpointExtractor>.Instance);
            Pass(rewrites[i % 2], freshCache, freshExtractor, NewReconciler(), out var d, out var r);
            rebuild.Add(d + r);
        }
        Console.WriteLine($"  peer: rebuild from scratch (total) {Stats.Describe(rebuild)}");
    }

    private static ReconcileResult Pass(string line, ResourceCache cache, EndpointExtractor extractor, Reconciler reconciler, out double decodeMs, out double reconcileMs)
    {
        var start = Stopwatch.GetTimestamp();
        // As the watch delivers it: one line of text, decoded by the product's WatchLine.
        var server = WatchLine.Parse(line).Server!;
        cache.Upsert(server);
        var decoded = Stopwatch.GetTimestamp();
        var result = reconciler.ApplyAsync(extractor.Extract(cache.Snapshot()), default).AsTask().GetAwaiter().GetResult();
        var end = Stopwatch.GetTimestamp();
        decodeMs = Stopwatch.GetElapsedTime(start, decoded).TotalMilliseconds;
        reconcileMs = Stopwatch.GetElapsedTime(decoded, end).TotalMilliseconds;
        return result;
    }

    private static Reconciler NewReconciler() => new(
        new AddressAllocator(IPNetwork.Parse("127.1.0.0/16"), [], NullLogger<AddressAllocator>.Instance),
        new InstantTunnelDriver(), new NullPublisher(), true, NullLogger<Reconciler>.Instance);

    private static string Build(int traffic, bool changeOne)
    {
        var connections = new JsonObject[Connections];
        for (var i = 0; i < Connections; i++)
        {
            var mapped = i < Services * PortsPerService;
            var name = mapped ? $"tcp://svc{i / PortsPerService}.bench:{3000 + i % PortsPerService}/svc" : $"user{i}.proxy{i}";
            var remotePort = 20000 + i % 40000 + (changeOne && i == 0 ? 1 : 0);
            connections[i] = TestResources.Connection(name, remotePort: remotePort, traffic: traffic * 1000 + i);
        }
        var server = TestResources.FrpServer("big", connections: connections);
        server["metadata"]!["resourceVersion"] = traffic.ToString();
        return new JsonObject { ["type"] = "MODIFIED", ["object"] = server }.ToJsonString();
    }

    private sealed class NullPublisher : INamePublisher
    {
        public void Publish(IReadOnlyCollection<DnsMapping> mappings)
        {
        }
    }
}
