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
/// </summary>
internal sealed class KubeApiClient(KubernetesClientConfiguration config, HttpClient http, TimeSpan requestTimeout) : IDisposable
{
    public const string ResourcePath = "apis/tunnel.kubeinfra.io/v1alpha1/frpservers";

    public Uri Server => http.BaseAddress!;

    public static KubeApiClient Create(KubernetesClientConfiguration config, TimeSpan requestTimeout) =>
        new(config, KubeHttpClientFactory.Create(config), requestTimeout);

    /// <exception cref="KubeApiException">An error status.</exception>
    /// <exception cref="HttpRequestException">Connection or TLS failure.</exception>
    /// <exception cref="TimeoutException">No complete answer within the request timeout.</exception>
    public async Task<FrpServerList> ListAsync(CancellationToken cancellationToken)
    {
        // Network timeouts run on wall time on purpose: a fake clock in tests must not cut real sockets short.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(requestTimeout);
        try
        {
            using var request = await CreateRequestAsync(ResourcePath, timeout.Token).ConfigureAwait(false);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            await EnsureSuccessAsync(response, timeout.Token).ConfigureAwait(false);
            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            return await JsonSerializer.DeserializeAsync(body, FrpJsonContext.Default.FrpServerList, timeout.Token).ConfigureAwait(false)
                ?? throw new JsonException("the list answer is null");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"list took longer than {requestTimeout.TotalSeconds:0.#} s");
        }
    }

    /// <summary>Streams watch events until the server ends the stream or <paramref name="cancellationToken"/> fires.</summary>
    public async IAsyncEnumerable<WatchLine> WatchAsync(string resourceVersion, TimeSpan serverTimeout,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var path = $"{ResourcePath}?watch=true&allowWatchBookmarks=true&resourceVersion={Uri.EscapeDataString(resourceVersion)}"
            + $"&timeoutSeconds={Math.Max(1, (int)serverTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture)}";
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
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(body, Encoding.UTF8);
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }
                yield return WatchLine.Parse(line);
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
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var status = JsonSerializer.Deserialize(text, FrpJsonContext.Default.KubeStatus);
            detail = status?.Message ?? status?.Reason ?? "";
        }
        catch (Exception e) when (e is JsonException or IOException or HttpRequestException)
        {
            detail = "";
        }
        throw new KubeApiException(response.StatusCode, $"{(int)response.StatusCode} {response.ReasonPhrase}{(detail.Length > 0 ? ": " + detail : "")}");
    }

    internal static bool IsGone(KubeStatus status) => status.Code == (int)HttpStatusCode.Gone
        || status.Reason is "Expired" or "Gone";
}
