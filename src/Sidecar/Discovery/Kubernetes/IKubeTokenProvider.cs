using System.Net.Http.Headers;

namespace Sidecar.Discovery.Kubernetes;

/// <summary>A bearer token that is renewed while the sidecar runs.</summary>
internal interface IKubeTokenProvider
{
    Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken);
}
