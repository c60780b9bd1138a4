using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Sidecar.Configuration;
using Sidecar.Hosting;
using Sidecar.Tests.Discovery.StandIn;
using Sidecar.Tests.Support;
using Sidecar.Tunnels;

namespace Sidecar.Bench;

/// <summary>Time from a change written to the stand-in API server to the reconciler publishing the new DNS table.</summary>
internal static class ConvergenceBench
{
    public static async Task<List<double>> RunAsync(bool watch, TimeSpan resync, int iterations)
    {
        await using var api = await StandInKubeApiServer.StartAsync();
        var dir = Directory.CreateTempSubdirectory("sidecar-bench-").FullName;
        try
        {
            var settings = new Settings
            {
                MappedServices = ServiceNames.ParseMappedServices("mysql.abc", 100),
                IpRange = IPNetwork.Parse("127.1.0.0/16"),
                Kubeconfig = api.WriteKubeconfig(dir),
                FrpsAddr = "127.0.0.1",
                Discovery = watch ? DiscoveryMode.Watch : DiscoveryMode.Poll,
                PollInterval = resync,
            };
            var publisher = new TimingPublisher();
            var control = Composition.BuildControlPath(settings, publisher, new InstantTunnelDriver(),
                NullLoggerFactory.Instance, TimeProvider.System);
            await control.Discovery.StartAsync(default);
            await control.Loop.StartAsync(default);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (watch && api.OpenWatches == 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10);
            }

            var samples = new List<double>(iterations);
            for (var i = 0; i < iterations + 5; i++)
            {
                var online = i % 2 == 0;
                if (!watch)
                {
                    // A change lands at a random moment of the polling cycle, as it would in real life.
                    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * resync.TotalMilliseconds));
                }
                var published = publisher.Expect(t => t.ContainsKey("mysql.abc") == online);
                var start = Stopwatch.GetTimestamp();
                api.Put(TestResources.FrpServer("frps", connections: TestResources.Connection("mysql.abc", status: online ? "online" : "offline", traffic: i)));
                var end = await published.WaitAsync(TimeSpan.FromSeconds(60));
                if (i >= 5)
                {
                    samples.Add(Stopwatch.GetElapsedTime(start, end).TotalMilliseconds); // the first 5 warm up the JIT
                }
                // frps's own rhythm: a status rewrite every second carries counters; here a short gap is enough.
                await Task.Delay(watch ? 5 : 0);
            }
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await control.Discovery.StopAsync(stop.Token);
            await control.Loop.StopAsync(stop.Token);
            await control.Discovery.DisposeAsync();
            await control.Loop.DisposeAsync();
            return samples;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
