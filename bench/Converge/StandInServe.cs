using Sidecar.Tests.Discovery.StandIn;
using Sidecar.Tests.Support;

namespace Sidecar.Bench;

/// <summary>
/// Runs the stand-in API server on its own, so the published (AOT) executable can be pointed at it:
/// writes a kubeconfig, offers mysql.abc, then toggles it every second for the given number of seconds.
/// </summary>
internal static class StandInServe
{
    public static async Task RunAsync(string directory, int seconds)
    {
        await using var api = await StandInKubeApiServer.StartAsync();
        var kubeconfig = api.WriteKubeconfig(directory);
        Console.WriteLine($"kubeconfig {kubeconfig}");
        Console.Out.Flush();
        for (var i = 0; i < seconds; i++)
        {
            var online = i % 2 == 0;
            api.Put(TestResources.FrpServer("frps", connections: TestResources.Connection("mysql.abc", status: online ? "online" : "offline", traffic: i)));
            await Task.Delay(1000);
        }
        Console.WriteLine($"lists {api.ListCount}, watches {api.WatchCount}, unauthorized {api.UnauthorizedCount}");
    }
}
