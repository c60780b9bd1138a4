using System.Text;
using System.Security.Cryptography.X509Certificates;
using k8s;

namespace Sidecar.Discovery.Kubernetes;

/// <summary>
/// Our own HttpClient for the API server, built from the configuration: trust only the cluster's CA, present
/// the client certificate if there is one. Bearer tokens are added per request (they rotate).
/// </summary>
internal static class KubeHttpClientFactory
{
    public static HttpClient Create(KubernetesClientConfiguration config)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            // A watch sits idle between events; pings find a dead peer without waiting for TCP timeouts.
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        };
        var ssl = handler.SslOptions;
        if (config.SkipTlsVerify)
        {
            ssl.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
            SystemTrustStore.TryDisable();
        }
        else if (config.SslCaCerts is { Count: > 0 } authorities)
        {
            // Only the kubeconfig's CA is trusted, not the system store (as kubectl does).
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.AddRange(authorities);
            ssl.CertificateChainPolicy = policy;
            SystemTrustStore.TryDisable();
        }
        if (!string.IsNullOrEmpty(config.TlsServerName))
        {
            ssl.TargetHost = config.TlsServerName;
        }
        if (!string.IsNullOrEmpty(config.ClientCertificateData) || !string.IsNullOrEmpty(config.ClientCertificateFilePath))
        {
            ssl.ClientCertificates = [LoadClientCertificate(config)];
            ssl.LocalCertificateSelectionCallback = static (_, _, local, _, _) => local[0];
        }
        return new HttpClient(handler)
        {
            BaseAddress = new Uri(config.Host.TrimEnd('/') + "/"),
            // Lists use their own timeout; watches stream for as long as we let them.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>kubeconfig's client-certificate(-data) and client-key(-data): PEM, the *-data forms base64-encoded.</summary>
    private static X509Certificate2 LoadClientCertificate(KubernetesClientConfiguration config)
    {
        var certPem = config.ClientCertificateData is { Length: > 0 } certData
            ? Encoding.UTF8.GetString(Convert.FromBase64String(certData))
            : File.ReadAllText(config.ClientCertificateFilePath!);
        var keyPem = config.ClientCertificateKeyData is { Length: > 0 } keyData
            ? Encoding.UTF8.GetString(Convert.FromBase64String(keyData))
            : File.ReadAllText(config.ClientKeyFilePath!);
        return X509Certificate2.CreateFromPem(certPem, keyPem);
    }
}
