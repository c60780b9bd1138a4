using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Sidecar.Configuration;
using Sidecar.Discovery.Model;
using Sidecar.Discovery;
using Sidecar.Resilience;

namespace Sidecar.Discovery.Kubernetes;

/// <summary>
/// Follows FRPServers the way client-go's informers do, and no more often. Watch mode: list once from the
/// watch cache, then watch with bookmarks, each watch ended by the server after 5-10 minutes (jittered) and
/// resumed from the last event or bookmark; list again only when a resume fails (410 Expired) or as an
/// hourly safety net. Poll mode: one list per interval and nothing else. One loop per scope (per named
/// server), each owning a partition of the cache. Failures back off with jitter and never touch the cache,
/// so the last known good state stays.
/// </summary>
internal sealed partial class KubernetesSource(KubeApiClient client, KubeSyncOptions options, TimeProvider timeProvider,
    ILogger<KubernetesSource> logger, Action? giveBackMemory = null) : IResourceSource, IDisposable
{
    /// <summary>First retry after a failed list or watch; doubles per failure up to <see cref="RetryCap"/>.</summary>
    public static readonly TimeSpan RetryInitial = TimeSpan.FromMilliseconds(200);

    /// <summary>An API server coming back after an outage is found within half a minute.</summary>
    public static readonly TimeSpan RetryCap = TimeSpan.FromSeconds(30);

    /// <summary>
    /// First relist after a watch expired: a 410 often reaches every Pod at once (an API server restart), so
    /// their lists spread over a second, doubling while relists keep expiring.
    /// </summary>
    public static readonly TimeSpan RelistInitial = TimeSpan.FromSeconds(1);

    /// <summary>
    /// After a list in watch mode (at start, after an expiry, the hourly safety net) memory goes back this long
    /// later: the answer's buffer, the replaced objects and start-up garbage, and the young generation the decode
    /// filled. Poll mode lists every few seconds and keeps its buffer instead.
    /// </summary>
    public static readonly TimeSpan CompactAfterList = TimeSpan.FromSeconds(1);

    private readonly DeferredCompaction _compaction = new(timeProvider, CompactAfterList, giveBackMemory);

    public int Partitions => options.Scopes.Count;

    public string Description => $"kubernetes ({client.Server}{KubeApiClient.ResourcePath}, "
        + (options.Mode == DiscoveryMode.Poll
            ? $"poll every {options.PollInterval.TotalSeconds:0.#} s"
            : $"watch, relist {(options.RelistPeriod > TimeSpan.Zero ? $"every {options.RelistPeriod.TotalMinutes:0.#} min" : "only on expiry")}")
        + $", {string.Join("; ", options.Scopes)})";

    public void Dispose()
    {
        _compaction.Dispose();
        client.Dispose();
    }

    public Task RunAsync(ResourceCache cache, CancellationToken cancellationToken) =>
        Task.WhenAll(options.Scopes.Select((scope, partition) => options.Mode == DiscoveryMode.Poll
            ? PollAsync(new Scoped(cache, scope, partition), cancellationToken)
            : ListAndWatchAsync(new Scoped(cache, scope, partition), cancellationToken)));

    /// <summary>One list per interval from the watch cache. Until the first one succeeds, retry sooner (capped at the interval).</summary>
    private async Task PollAsync(Scoped scoped, CancellationToken cancellationToken)
    {
        // A periodic timer from the start, not a delay after each list: a slow list shifts nothing, ticks never bunch up.
        using var timer = new PeriodicTimer(options.PollInterval, timeProvider);
        scoped.Buffer = ListBody.Reusable();
        while (await ListAsync(scoped, KubeApiClient.AnyVersion, cancellationToken).ConfigureAwait(false) is null)
        {
            var cap = options.PollInterval < RetryCap ? options.PollInterval : RetryCap;
            await Task.Delay(Backoff.Delay(scoped.Failures - 1, RetryInitial, cap), timeProvider, cancellationToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            await ListAsync(scoped, KubeApiClient.AnyVersion, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ListAndWatchAsync(Scoped scoped, CancellationToken cancellationToken)
    {
        var expiries = 0;
        string? lastSeen = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            // First list: anything the watch cache has. Later: not older than what we already saw.
            var listed = await ListAsync(scoped, lastSeen ?? KubeApiClient.AnyVersion, cancellationToken).ConfigureAwait(false);
            if (listed is null)
            {
                lastSeen = null; // e.g. a restored API server whose versions went back: take what it has
                await Task.Delay(Backoff.Delay(scoped.Failures - 1, RetryInitial, RetryCap), timeProvider, cancellationToken).ConfigureAwait(false);
                continue;
            }
            _compaction.Request();
            var watch = new WatchPosition(listed.Length > 0 ? listed : KubeApiClient.AnyVersion);
            var outcome = await WatchUntilRelistAsync(scoped, watch, cancellationToken).ConfigureAwait(false);
            lastSeen = watch.ResourceVersion;
            if (outcome == WatchEnd.Expired)
            {
                expiries = watch.Events > 0 ? 0 : expiries;
                var delay = Backoff.Delay(expiries++, RelistInitial, RetryCap);
                LogWatchExpired(scoped.Scope.ToString(), lastSeen, delay.TotalMilliseconds);
                await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                expiries = 0;
                LogSafetyRelist(scoped.Scope.ToString());
            }
        }
    }

    /// <returns>The list's resourceVersion, or null when it failed (logged, counted, cache untouched).</returns>
    private async Task<string?> ListAsync(Scoped scoped, string resourceVersion, CancellationToken cancellationToken)
    {
        try
        {
            var list = await client.ListAsync(scoped.Scope, resourceVersion, cancellationToken, scoped.Buffer).ConfigureAwait(false);
            scoped.Cache.Replace(list.Items ?? [], scoped.Partition);
            if (scoped.Failures > 0)
            {
                LogListRecovered(scoped.Failures);
            }
            scoped.Failures = 0;
            var version = list.Metadata?.ResourceVersion ?? "";
            LogListed(list.Items?.Count ?? 0, version);
            return version;
        }
        catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
        {
            scoped.Cache.ReportFailure();
            scoped.Failures++;
            LogListFailed(e.Message, scoped.Failures);
            return null;
        }
    }
}
