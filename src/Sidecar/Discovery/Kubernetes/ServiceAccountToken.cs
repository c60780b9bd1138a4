using System.Net.Http.Headers;

namespace Sidecar.Discovery.Kubernetes;

/// <summary>
/// The Pod's projected service-account token, re-read from its file at most once a minute: the kubelet rotates it
/// at 80 % of its lifetime (at least 10 minutes), so a token read within the last minute is always still valid.
/// </summary>
internal sealed class ServiceAccountToken(string path, TimeProvider time) : IKubeTokenProvider
{
    private static readonly TimeSpan ReadEvery = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private string? _token;
    private DateTimeOffset _readAt;

    public Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_token is null || now - _readAt >= ReadEvery)
            {
                _token = File.ReadAllText(path).Trim();
                _readAt = now;
            }
            return Task.FromResult(new AuthenticationHeaderValue("Bearer", _token));
        }
    }
}
