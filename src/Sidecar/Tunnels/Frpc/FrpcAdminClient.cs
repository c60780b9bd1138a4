using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Sidecar.Tunnels.Frpc;

/// <summary>
/// frpc's admin API (<c>[webServer]</c>, HTTP basic auth): <c>GET /healthz</c> needs no auth,
/// <c>GET /api/reload</c> re-reads the config file (200 ok, 400 invalid).
/// </summary>
internal sealed class FrpcAdminClient : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    // Loopback only, never through an HTTP proxy named in the environment.
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = RequestTimeout })
    {
        Timeout = RequestTimeout,
    };

    public async Task<bool> IsHealthyAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(Uri(port, "/healthz"), cancellationToken).ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <returns>The status code, or null when frpc could not be reached.</returns>
    public async Task<HttpStatusCode?> ReloadAsync(int port, FrpcAdminCredentials credentials, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Uri(port, "/api/reload"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.User}:{credentials.Password}")));
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static Uri Uri(int port, string path) => new($"http://127.0.0.1:{port}{path}");

    public void Dispose() => _http.Dispose();
}
