using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using k8s;
using Sidecar.Discovery.Model;

namespace Sidecar.Discovery.Kubernetes;

/// <summary>
/// The two calls we need, as plain HTTP: list FRPServers, and watch them from a resourceVersion (one JSON
/// event per line). No typed Kubernetes client: it would root ~1,000 models into the AOT binary.
/// Lists name a resourceVersion so the API server answers from its watch cache instead of a quorum read
/// from etcd (Kubernetes API concepts, "Semantics for get and list").
/// </summary>
internal sealed class KubeApiClient(KubernetesClientConfiguration config, HttpClient http, TimeSpan requestTimeout,
    long maxListBytes = KubeApiClient.MaxListBytes, int maxEventBytes = KubeApiClient.MaxEventBytes) : IDisposable
{
    public const string ResourcePath = "apis/tunnel.kubeinfra.io/v1alpha1/frpservers";

    /// <summary>"Any version the watch cache has": the cheapest list, possibly slightly stale.</summary>
    public const string AnyVersion = "0";

    /// <summary>
    /// A watch event longer than this is refused (a broken or hostile server). etcd stores objects of at most
    /// 1.5 MiB (its default --max-request-bytes), so a real event is smaller; one with 50 connections is ~50 KB.
    /// </summary>
    public const int MaxEventBytes = 4 * 1024 * 1024;

    /// <summary>
    /// A list answer larger than this is refused and the last good state kept: thousands of ordinary FRPServers,
    /// yet small enough that parsing it stays well inside the Pod example's 64 MiB memory limit.
    /// </summary>
    public const long MaxListBytes = 16 * 1024 * 1024;

    /// <summary>What of an error answer is read for its message.</summary>
    private const int MaxErrorBytes = 64 * 1024;

    /// <summary>A watch stream still open this long after the server's own timeout is presumed dead (half-open TCP).</summary>
    public static readonly TimeSpan StreamGrace = TimeSpan.FromSeconds(30);

    public Uri Server => http.BaseAddress!;

    public static KubeApiClient Create(KubernetesClientConfiguration config, TimeSpan requestTimeout,
        long maxListBytes = MaxListBytes, int maxEventBytes = MaxEventBytes) =>
        new(config, KubeHttpClientFactory.Create(config), requestTimeout, maxListBytes, maxEventBytes);

    /// <exception cref="KubeApiException">An error status.</exception>
    /// <exception cref="HttpRequestException">Connection or TLS failure.</exception>
    /// <exception cref="TimeoutException">No complete answer within the request timeout.</exception>
    /// <exception cref="InvalidDataException">An answer over <see cref="MaxListBytes"/>.</exception>
    /// <param name="scope">Which servers.</param>
    /// <param name="resourceVersion"><see cref="AnyVersion"/> for the first list; later the last version seen, so the
    /// answer (from the watch cache, resourceVersionMatch=NotOlderThan) never goes back in time; null for a quorum read.</param>
    /// <param name="cancellationToken">Stops the request.</param>
    /// <param name="buffer">Where the answer is read before decoding: <see cref="ListBody.Reusable"/> for a poller; by
    /// default a buffer dropped with the answer.</param>
    public async Task<FrpServerList> ListAsync(ResourceScope scope, string? resourceVersion, CancellationToken cancellationToken,
        ListBody? buffer = null)
    {
        var query = (resourceVersion switch
        {
            null or "" => "",
            AnyVersion => "&resourceVersion=0",
            _ => $"&resourceVersion={Uri.EscapeDataString(resourceVersion)}&resourceVersionMatch=NotOlderThan",
        }) + scope.Query;
        var path = query.Length == 0 ? ResourcePath : ResourcePath + "?" + query[1..];
        // Network timeouts run on wall time on purpose: a fake clock in tests must not cut real sockets short.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(requestTimeout);
        try
        {
            using var request = await CreateRequestAsync(path, timeout.Token).ConfigureAwait(false);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            await EnsureSuccessAsync(response, timeout.Token).ConfigureAwait(false);
            if (response.Content.Headers.ContentLength > maxListBytes)
            {
                throw BoundedReadStream.TooLarge("the FRPServer list answer", maxListBytes);
            }
            await using var body = new BoundedReadStream(
                await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false), maxListBytes, "the FRPServer list answer");
            var bytes = await (buffer ?? ListBody.OneShot()).ReadAsync(body, response.Content.Headers.ContentLength,
                (int)Math.Min(maxListBytes, int.MaxValue - 1), timeout.Token).ConfigureAwait(false);
            return JsonRead.Whole(bytes.Span, FrpServerListConverter.ReadList) ?? throw new JsonException("the list answer is null");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"list took longer than {requestTimeout.TotalSeconds:0.#} s");
        }
    }

    /// <summary>
    /// Streams watch events until the server ends the stream (at <paramref name="serverTimeout"/>) or
    /// <paramref name="cancellationToken"/> fires. A stream that outlives the server's timeout by
    /// <see cref="StreamGrace"/> is cut: the connection is dead without either side having noticed.
    /// </summary>
    /// <param name="scope">Which servers.</param>
    /// <param name="resourceVersion">Where the watch starts.</param>
    /// <param name="serverTimeout">When the server is asked to end the stream.</param>
    /// <param name="cancellationToken">Stops the stream.</param>
    /// <param name="unchanged">Offered each line's bytes first; a line it accepts is not decoded and comes out as
    /// <see cref="WatchLine.Unchanged"/>.</param>
    public async IAsyncEnumerable<WatchLine> WatchAsync(ResourceScope scope, string resourceVersion, TimeSpan serverTimeout,
        [EnumeratorCancellation] CancellationToken cancellationToken, Func<ReadOnlySpan<byte>, bool>? unchanged = null)
    {
        var seconds = Math.Max(1, (int)serverTimeout.TotalSeconds);
        var path = $"{ResourcePath}?watch=true&allowWatchBookmarks=true&resourceVersion={Uri.EscapeDataString(resourceVersion)}"
            + $"&timeoutSeconds={seconds.ToString(CultureInfo.InvariantCulture)}{scope.Query}";
        using var headers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        headers.CancelAfter(requestTimeout);
        HttpResponseMessage response;
        try
        {
            using var request = await CreateRequestAsync(path, headers.Token).ConfigureAwait(false);
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headers.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (headers.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"watch headers took longer than {requestTimeout.TotalSeconds:0.#} s");
        }
        using (response)
        {
            await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(seconds) + StreamGrace);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var reader = new WatchStreamReader(body, maxEventBytes);
            while (true)
            {
                ReadOnlyMemory<byte> line;
                try
                {
                    line = await reader.ReadLineAsync(deadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"the watch stream outlived its {seconds} s timeout; the connection is presumed dead");
                }
                if (line.IsEmpty)
                {
                    yield break;
                }
                yield return unchanged?.Invoke(line.Span) == true ? WatchLine.Unchanged : WatchLine.Parse(line.Span);
            }
        }
    }

    public void Dispose() => http.Dispose();

    private async Task<HttpRequestMessage> CreateRequestAsync(string path, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.TryAddWithoutValidation("User-Agent", $"sidecar/{Hosting.VersionInfo.Current}");
        // Per request: service-account tokens are rotated on disk and exec plugins refresh theirs.
        if (config.TokenProvider is { } provider)
        {
            request.Headers.Authorization = await provider.GetAuthenticationHeaderAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (!string.IsNullOrEmpty(config.AccessToken))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", config.AccessToken);
        }
        else if (!string.IsNullOrEmpty(config.Username))
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{config.Username}:{config.Password}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        }
        return request;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        string detail;
        try
        {
            // Bounded like every answer: the message is what matters, and a status object is small.
            await using var body = new BoundedReadStream(
                await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), MaxErrorBytes, "an error answer");
            var status = await JsonSerializer.DeserializeAsync(body, FrpJsonContext.Default.KubeStatus, cancellationToken).ConfigureAwait(false);
            detail = status?.Message ?? status?.Reason ?? "";
        }
        catch (Exception e) when (e is JsonException or IOException or HttpRequestException or InvalidDataException)
        {
            detail = "";
        }
        throw new KubeApiException(response.StatusCode, $"{(int)response.StatusCode} {response.ReasonPhrase}{(detail.Length > 0 ? ": " + detail : "")}");
    }

    internal static bool IsGone(KubeStatus status) => status.Code == (int)HttpStatusCode.Gone
        || status.Reason is "Expired" or "Gone";
}
