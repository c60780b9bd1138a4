using k8s;
using k8s.Exceptions;
using Sidecar.Hosting;

namespace Sidecar.Discovery.Kubernetes;

/// <summary>Reads where the API server is and how to authenticate. Uses KubernetesClient only for this.</summary>
internal static class KubeConfigLoader
{
    /// <exception cref="StartupException">No usable configuration; the message says what to set.</exception>
    public static KubernetesClientConfiguration Load(string? kubeconfigPath)
    {
        try
        {
            if (kubeconfigPath is not null)
            {
                return KubernetesClientConfiguration.BuildConfigFromConfigObject(KubeconfigModelReader.Read(kubeconfigPath));
            }
            if (KubernetesClientConfiguration.IsInCluster())
            {
                return KubernetesClientConfiguration.InClusterConfig();
            }
        }
        catch (Exception e) when (e is KubeConfigException or IOException or UnauthorizedAccessException or FormatException
            or ArgumentException or System.Text.Json.JsonException or System.Security.Cryptography.CryptographicException)
        {
            throw new StartupException($"cannot load the Kubernetes configuration ({kubeconfigPath ?? "in-cluster"}): {e.Message}", e);
        }
        throw new StartupException("not running in a cluster and no kubeconfig given: set --kubeconfig/KUBECONFIG, or use --source file:PATH");
    }
}
