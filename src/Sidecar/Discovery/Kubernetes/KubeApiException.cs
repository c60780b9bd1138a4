using System.Net;

namespace Sidecar.Discovery.Kubernetes;

/// <summary>The API server answered with an error status (or an ERROR watch event).</summary>
internal sealed class KubeApiException(HttpStatusCode status, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>410: the resourceVersion is too old to watch from; list again (Kubernetes API concepts, "Efficient detection of changes").</summary>
    public bool IsExpired => Status == HttpStatusCode.Gone;
}
