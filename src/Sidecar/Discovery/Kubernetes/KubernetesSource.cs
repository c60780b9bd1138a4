using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Sidecar.Discovery.Model;
using Sidecar.Discovery;
using Sidecar.Resilience;

namespace Sidecar.Discovery.Kubernetes;

/// <summary>
/// Lists FRPServers every resync period and, between lists, watches from the list's resourceVersion so a
/// change applies at once (bookmarks keep the version fresh; 410 relists). Failures back off with jitter
/// and never touch the cache, so the last known good state stays.
/// </summary>
internal sealed partial class KubernetesSource(
    KubeApiClient client, TimeSpan resyncPeriod, bool watch, TimeProvider timeProvider, ILogger<KubernetesSource> logger) : IResourceSource, IDisposable
{
    /// <summary>First retry after a failed list or watch; doubles per failure up to <see cref="RetryCap"/>.</summary>
    public static readonly TimeSpan RetryInitial = TimeSpan.FromMilliseconds(200);

    /// <summary>An API server coming back after an outage is found within half a minute.</summary>
    public static readonly TimeSpan RetryCap = TimeSpan.FromSeconds(30);

    public string Description => $"kubernetes ({client.Server}{KubeApiClient.ResourcePath}, {(watch ? "watch" : "polling")}, resync {resyncPeriod.TotalSeconds:0.#} s)";

    public void Dispose() => client.Dispose();

    public async Task RunAsync(ResourceCache cache, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            string resourceVersion;
            try
            {
                var list = await client.ListAsync(cancellationToken).ConfigureAwait(false);
                cache.Replace(list.Items ?? []);
                resourceVersion = list.Metadata?.ResourceVersion ?? "";
                if (failures > 0)
                {
                    LogListRecovered(failures);
                }
                failures = 0;
                LogListed(list.Items?.Count ?? 0, resourceVersion);
            }
            catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                cache.ReportFailure();
                var delay = Backoff.Delay(failures++, RetryInitial, RetryCap);
                LogListFailed(e.Message, failures, delay.TotalMilliseconds);
                await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
                continue;
            }

            using var period = new CancellationTokenSource(resyncPeriod, timeProvider);
            using var resync = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, period.Token);
            try
            {
                if (watch && resourceVersion.Length > 0)
                {
                    await WatchUntilRelistAsync(cache, resourceVersion, resync.Token).ConfigureAwait(false);
                }
                else
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, timeProvider, resync.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (resync.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // The resync period is over: list again.
            }
        }
    }

    /// <summary>Watches, reconnecting from the newest resourceVersion, until the version expires or the token fires.</summary>
    private async Task WatchUntilRelistAsync(ResourceCache cache, string resourceVersion, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (true)
        {
            try
            {
                var events = 0;
                await foreach (var e in client.WatchAsync(resourceVersion, resyncPeriod, cancellationToken).ConfigureAwait(false))
                {
                    events++;
                    failures = 0;
                    if (!Apply(cache, e, ref resourceVersion))
                    {
                        return; // expired: relist
                    }
                }
                // The server ended the stream (its timeoutSeconds): continue from where we are. An empty stream
                // counts as a failure so a server that hangs up at once is not hammered.
                if (events == 0)
                {
                    await Task.Delay(Backoff.Delay(failures++, RetryInitial, RetryCap), timeProvider, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (KubeApiException e) when (e.IsExpired)
            {
                LogWatchExpired(resourceVersion);
                return;
            }
            catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                cache.ReportFailure();
                var delay = Backoff.Delay(failures++, RetryInitial, RetryCap);
                LogWatchFailed(e.Message, delay.TotalMilliseconds);
                await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <returns>False when the watch must be abandoned for a relist.</returns>
    private bool Apply(ResourceCache cache, WatchLine e, ref string resourceVersion)
    {
        switch (e.Type)
        {
            case "ADDED" or "MODIFIED" or "DELETED" when e.Server is { } server:
                if (server.Metadata?.ResourceVersion is { Length: > 0 } rv)
                {
                    resourceVersion = rv;
                }
                if (e.Type == "DELETED")
                {
                    cache.Remove(server.Name);
                }
                else
                {
                    cache.Upsert(server);
                }
                return true;
            case "BOOKMARK":
                resourceVersion = e.Server?.Metadata?.ResourceVersion is { Length: > 0 } brv ? brv : resourceVersion;
                return true;
            case "ERROR":
                if (e.Status is { } status && KubeApiClient.IsGone(status))
                {
                    LogWatchExpired(resourceVersion);
                    return false;
                }
                throw new KubeApiException((HttpStatusCode)(e.Status?.Code ?? 500), $"watch error: {e.Status?.Message ?? "no status"}");
            default:
                LogUnknownEvent(e.Type);
                return true;
        }
    }

    private static bool IsTransient(Exception e) =>
        e is HttpRequestException or IOException or KubeApiException or JsonException or TimeoutException
            or System.Security.Authentication.AuthenticationException;
}
