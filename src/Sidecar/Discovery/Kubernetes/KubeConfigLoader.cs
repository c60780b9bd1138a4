using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Sidecar.Hosting;

namespace Sidecar.Discovery.Kubernetes;

/// <summary>
/// Reads where the API server is and how to authenticate: a kubeconfig when one is given, else the Pod's service
/// account (what client-go calls in-cluster configuration). Our own reader rather than KubernetesClient's: its
/// configuration loading alone rooted ~0.9 MB of the AOT binary (a YAML object mapper, regular expressions, its
/// models); this reads the few fields a connection needs.
/// </summary>
internal static class KubeConfigLoader
{
    public const string ServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <exception cref="StartupException">No usable configuration; the message says what to set.</exception>
    public static KubeConnection Load(string? kubeconfigPath) =>
        Load(kubeconfigPath, TimeProvider.System, ServiceAccountDirectory, Environment.GetEnvironmentVariable);

    /// <exception cref="StartupException">No usable configuration; the message says what to set.</exception>
    internal static KubeConnection Load(string? kubeconfigPath, TimeProvider time, string serviceAccountDirectory, Func<string, string?> environment)
    {
        try
        {
            if (kubeconfigPath is not null)
            {
                return KubeConfigFile.Read(kubeconfigPath, time);
            }
            if (InCluster(serviceAccountDirectory, environment, time) is { } inCluster)
            {
                return inCluster;
            }
        }
        catch (Exception e) when (e is KubeConfigException or IOException or UnauthorizedAccessException or FormatException
            or ArgumentException or CryptographicException)
        {
            throw new StartupException($"cannot load the Kubernetes configuration ({kubeconfigPath ?? "in-cluster"}): {e.Message}", e);
        }
        throw new StartupException("not running in a cluster and no kubeconfig given: set --kubeconfig/KUBECONFIG, or use --source file:PATH");
    }

    /// <summary>
    /// The API server from KUBERNETES_SERVICE_HOST/PORT (set by the kubelet), the service account's CA bundle, and its
    /// token re-read as the kubelet rotates it. Null when not in a Pod (no variables, or no token or CA file).
    /// </summary>
    private static KubeConnection? InCluster(string directory, Func<string, string?> environment, TimeProvider time)
    {
        var host = environment("KUBERNETES_SERVICE_HOST");
        var port = environment("KUBERNETES_SERVICE_PORT");
        var token = Path.Combine(directory, "token");
        var ca = Path.Combine(directory, "ca.crt");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port) || !File.Exists(token) || !File.Exists(ca))
        {
            return null;
        }
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var portNumber) || portNumber is 0 or > 65535)
        {
            throw new KubeConfigException($"KUBERNETES_SERVICE_PORT is not a port: {port}");
        }
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(ca);
        return new KubeConnection
        {
            Host = new UriBuilder(Uri.UriSchemeHttps, host, portNumber).ToString(),
            SslCaCerts = authorities.Count > 0 ? authorities : throw new KubeConfigException($"{ca} holds no certificate"),
            TokenProvider = new ServiceAccountToken(token, time),
        };
    }
}
