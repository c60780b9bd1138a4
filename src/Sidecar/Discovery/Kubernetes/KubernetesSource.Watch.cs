using System.Net;
using System.Text.Json;
using Sidecar.Resilience;

namespace Sidecar.Discovery.Kubernetes;

internal sealed partial class KubernetesSource
{
    /// <summary>A watch that delivered nothing and ended this much sooner than asked was refused, not finished.</summary>
    private static readonly TimeSpan EarlyEnd = TimeSpan.FromSeconds(1);

    private enum WatchEnd
    {
        /// <summary>The resume version is gone (410): list again.</summary>
        Expired,

        /// <summary>The safety-net period is over: list again.</summary>
        SafetyRelist,
    }

    /// <summary>One scope's loop: where it writes and how its lists are going.</summary>
    private sealed class Scoped(ResourceCache cache, ResourceScope scope, int partition)
    {
        public ResourceCache Cache { get; } = cache;
        public ResourceScope Scope { get; } = scope;
        public int Partition { get; } = partition;
        /// <summary>Failed lists in a row.</summary>
        public int Failures { get; set; }
        /// <summary>Where lists are read: kept between polls; null (a buffer per list) in watch mode.</summary>
        public ListBody? Buffer { get; set; }
        /// <summary>Recognises the operator's status rewrites on the raw bytes (watch mode).</summary>
        public ChurnFilter Churn { get; } = new(cache, partition);
    }

    /// <summary>
    /// Watches, resuming from the newest version after each server timeout or dropped connection, until a
    /// resume is refused (410) or the safety-net relist is due. One request per 5-10 minutes when all is well.
    /// </summary>
    private async Task<WatchEnd> WatchUntilRelistAsync(Scoped scoped, WatchPosition watch, CancellationToken cancellationToken)
    {
        using var relist = options.RelistPeriod > TimeSpan.Zero
            ? new CancellationTokenSource(Jitter(options.RelistPeriod, options.RelistPeriod * 1.5), timeProvider)
            : new CancellationTokenSource();
        using var until = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, relist.Token);
        var failures = 0;
        // A rewrite that changes nothing we use is consumed here, before any decode, and comes out as WatchLine.Unchanged.
        Func<ReadOnlySpan<byte>, bool> unchanged = line => scoped.Churn.Absorb(line, watch);
        while (true)
        {
            var timeout = TimeSpan.FromSeconds(Math.Round(Jitter(options.WatchTimeoutMin, options.WatchTimeoutMax).TotalSeconds));
            var opened = timeProvider.GetTimestamp();
            var lines = 0;
            try
            {
                await foreach (var e in client.WatchAsync(scoped.Scope, watch.ResourceVersion, timeout, until.Token, unchanged).ConfigureAwait(false))
                {
                    lines++;
                    watch.Events++;
                    failures = 0;
                    if (!Apply(scoped, e, watch))
                    {
                        return WatchEnd.Expired;
                    }
                }
                // The server ended the stream at its timeout: resume at once. A stream refused at once (no lines,
                // far sooner than asked) counts as a failure, so a server that hangs up is not hammered.
                if (lines == 0 && timeProvider.GetElapsedTime(opened) < timeout - EarlyEnd)
                {
                    await Task.Delay(Backoff.Delay(failures++, RetryInitial, RetryCap), timeProvider, until.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (relist.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return WatchEnd.SafetyRelist;
            }
            catch (KubeApiException e) when (e.IsExpired)
            {
                return WatchEnd.Expired;
            }
            catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                scoped.Cache.ReportFailure();
                var delay = Backoff.Delay(failures++, RetryInitial, RetryCap);
                LogWatchFailed(e.Message, delay.TotalMilliseconds);
                try
                {
                    await Task.Delay(delay, timeProvider, until.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (relist.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    return WatchEnd.SafetyRelist;
                }
            }
        }
    }

    /// <returns>False when the watch must be abandoned for a relist.</returns>
    private bool Apply(Scoped scoped, WatchLine e, WatchPosition watch)
    {
        if (e.IsUnchanged)
        {
            return true; // its resourceVersion is already taken (ChurnFilter): no decode, no write, no signal
        }
        switch (e.Type)
        {
            case "ADDED" or "MODIFIED" or "DELETED" when e.Server is { } server:
                if (server.Metadata?.ResourceVersion is { Length: > 0 } rv)
                {
                    watch.ResourceVersion = rv;
                }
                if (e.Type == "DELETED")
                {
                    scoped.Cache.Remove(server.Name);
                }
                else
                {
                    scoped.Cache.Upsert(server, scoped.Partition, scoped.Churn.Digest);
                }
                return true;
            case "BOOKMARK":
                if (e.Server?.Metadata?.ResourceVersion is { Length: > 0 } bookmark)
                {
                    watch.ResourceVersion = bookmark;
                }
                return true;
            case "ERROR":
                if (e.Status is { } status && KubeApiClient.IsGone(status))
                {
                    return false;
                }
                throw new KubeApiException((HttpStatusCode)(e.Status?.Code ?? 500), $"watch error: {e.Status?.Message ?? "no status"}");
            default:
                LogUnknownEvent(e.Type);
                return true;
        }
    }

    /// <summary>Uniform in [min, max]: spreads the requests of many Pods started together.</summary>
    private static TimeSpan Jitter(TimeSpan min, TimeSpan max) =>
        max <= min ? min : min + (max - min) * Random.Shared.NextDouble();

    /// <summary>
    /// Failures that a retry may cure. Callers also require that our own token has not fired, so an
    /// <see cref="OperationCanceledException"/> here is HttpClient's: its ConnectTimeout surfaces as a
    /// TaskCanceledException (e.g. a TLS handshake with an overloaded API server), which must be retried,
    /// never end the source.
    /// </summary>
    private static bool IsTransient(Exception e) =>
        e is HttpRequestException or IOException or KubeApiException or JsonException or TimeoutException or InvalidDataException
            or OperationCanceledException or System.Security.Authentication.AuthenticationException;
}
