using System.Text;

namespace Sidecar.Bench.Fleet;

/// <summary>Rewrites every FRPServer's status once a second in the stand-in API server, as the operator does.</summary>
internal sealed class ChurnLoop : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    /// <param name="fixedResources">FRPServers served as given, rewritten unchanged every second (MODIFIED events).</param>
    public ChurnLoop(Sidecar.Tests.Discovery.StandIn.StandInKubeApiServer api, int servers, int connections,
        IReadOnlyList<System.Text.Json.Nodes.JsonObject>? fixedResources = null)
    {
        ObjectBytes = Encoding.UTF8.GetByteCount(OperatorChurn.Server(0, connections, 1).ToJsonString());
        var fixedOnes = fixedResources ?? [];
        for (var i = 0; i < servers; i++)
        {
            api.Put(OperatorChurn.Server(i, connections, 1));
        }
        foreach (var resource in fixedOnes)
        {
            api.Put(resource);
        }
        _running = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            for (long tick = 2; await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false); tick++)
            {
                for (var i = 0; i < servers; i++)
                {
                    api.Put(OperatorChurn.Server(i, connections, tick));
                }
                foreach (var resource in fixedOnes)
                {
                    api.Put(resource);
                }
            }
        });
    }

    public int ObjectBytes { get; }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _running.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Cancelled.
        }
        _stop.Dispose();
    }
}
