using System.Security.Cryptography.X509Certificates;

namespace Sidecar.Discovery.Kubernetes;

/// <summary>
/// Where the API server is and how to authenticate to it, as read from a kubeconfig or the Pod's service account
/// (<see cref="KubeConfigLoader"/>). Client certificate data is base64 of PEM, as kubeconfig's <c>*-data</c> fields.
/// Filled in while the configuration is read, then only read.
/// </summary>
internal sealed class KubeConnection
{
    public required string Host { get; init; }

    public bool SkipTlsVerify { get; set; }

    /// <summary>The only authorities trusted for the server's certificate; null: the system store.</summary>
    public X509Certificate2Collection? SslCaCerts { get; set; }

    public string? TlsServerName { get; set; }

    public string? ClientCertificateData { get; set; }

    public string? ClientCertificateKeyData { get; set; }

    public string? ClientCertificateFilePath { get; set; }

    public string? ClientKeyFilePath { get; set; }

    public string? AccessToken { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>A token that changes over time (service-account file, exec plugin); asked before every request.</summary>
    public IKubeTokenProvider? TokenProvider { get; set; }
}
