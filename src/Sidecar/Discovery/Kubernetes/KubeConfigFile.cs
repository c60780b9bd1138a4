using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Sidecar.Discovery.Files;

namespace Sidecar.Discovery.Kubernetes;

/// <summary>
/// A kubeconfig file, as kubectl reads it: the current context names a cluster (server, certificate authority,
/// TLS options) and a user (token, basic auth, client certificate, or an exec credential plugin). Relative file
/// paths are relative to the kubeconfig's directory. The YAML goes through <see cref="YamlToJson"/> like the file
/// source's, so it is bounded the same way.
/// </summary>
internal static class KubeConfigFile
{
    /// <exception cref="KubeConfigException">Nothing usable in the file; the message says what is missing.</exception>
    /// <exception cref="IOException">Unreadable (the message names the path).</exception>
    /// <exception cref="FormatException">Not YAML.</exception>
    public static KubeConnection Read(string path, TimeProvider time)
    {
        path = Path.GetFullPath(path);
        if (new FileInfo(path) is { Exists: true, Length: > FileLimits.MaxFileBytes })
        {
            throw new KubeConfigException($"{path} is larger than {FileLimits.MaxFileBytes} bytes");
        }
        var documents = YamlToJson.Convert(File.ReadAllBytes(path), scalarsAsText: true);
        if (documents.Count == 0)
        {
            throw new KubeConfigException($"{path} is empty");
        }
        using var document = JsonDocument.Parse(documents[0]);
        var root = document.RootElement;
        var directory = Path.GetDirectoryName(path)!;

        var contextName = KubeConfigJson.Text(root, "current-context");
        if (string.IsNullOrWhiteSpace(contextName))
        {
            throw new KubeConfigException("no current-context is set, so no server is known");
        }
        var context = Named(root, "contexts", contextName, "context");
        var clusterName = KubeConfigJson.Text(context, "cluster");
        if (string.IsNullOrEmpty(clusterName))
        {
            throw new KubeConfigException($"context {contextName} names no cluster");
        }
        var cluster = Named(root, "clusters", clusterName, "cluster");
        var server = KubeConfigJson.Text(cluster, "server");
        if (string.IsNullOrWhiteSpace(server) || !Uri.TryCreate(server, UriKind.Absolute, out var uri))
        {
            throw new KubeConfigException($"cluster {clusterName} has no valid server URL ({server ?? "none"})");
        }
        var connection = new KubeConnection
        {
            Host = LoopbackForAny(uri, server),
            SkipTlsVerify = KubeConfigJson.Flag(cluster, "insecure-skip-tls-verify"),
            TlsServerName = KubeConfigJson.Text(cluster, "tls-server-name"),
        };
        if (uri.Scheme == Uri.UriSchemeHttps)
        {
            if (KubeConfigJson.Text(cluster, "certificate-authority-data") is { Length: > 0 } caData)
            {
                connection.SslCaCerts = Authorities(Convert.FromBase64String(caData), $"cluster {clusterName}'s certificate-authority-data");
            }
            else if (KubeConfigJson.Text(cluster, "certificate-authority") is { Length: > 0 } caFile)
            {
                caFile = Path.Combine(directory, caFile);
                connection.SslCaCerts = Authorities(File.ReadAllBytes(caFile), caFile);
            }
        }
        if (KubeConfigJson.Text(context, "user") is { Length: > 0 } userName && !string.IsNullOrWhiteSpace(userName))
        {
            ReadUser(Named(root, "users", userName, "user"), userName, directory, connection, time);
        }
        return connection;
    }

    private static void ReadUser(JsonElement user, string userName, string directory, KubeConnection connection, TimeProvider time)
    {
        var found = false;
        // A token and basic auth exclude each other; either may come with a client certificate.
        if (KubeConfigJson.Text(user, "token") is { } token && !string.IsNullOrWhiteSpace(token))
        {
            connection.AccessToken = token;
            found = true;
        }
        else if (KubeConfigJson.Text(user, "tokenFile") is { } tokenFile && !string.IsNullOrWhiteSpace(tokenFile))
        {
            connection.TokenProvider = new ServiceAccountToken(Path.Combine(directory, tokenFile), time);
            found = true;
        }
        else if (KubeConfigJson.Text(user, "username") is { } username && !string.IsNullOrWhiteSpace(username)
            && KubeConfigJson.Text(user, "password") is { } password && !string.IsNullOrWhiteSpace(password))
        {
            connection.Username = username;
            connection.Password = password;
            found = true;
        }
        if (KubeConfigJson.Text(user, "client-certificate-data") is { } certData && !string.IsNullOrWhiteSpace(certData)
            && KubeConfigJson.Text(user, "client-key-data") is { } keyData && !string.IsNullOrWhiteSpace(keyData))
        {
            connection.ClientCertificateData = certData;
            connection.ClientCertificateKeyData = keyData;
            found = true;
        }
        if (KubeConfigJson.Text(user, "client-certificate") is { } certFile && !string.IsNullOrWhiteSpace(certFile)
            && KubeConfigJson.Text(user, "client-key") is { } keyFile && !string.IsNullOrWhiteSpace(keyFile))
        {
            connection.ClientCertificateFilePath = Path.Combine(directory, certFile);
            connection.ClientKeyFilePath = Path.Combine(directory, keyFile);
            found = true;
        }
        if (KubeConfigJson.Object(user, "auth-provider") is { } provider
            && KubeConfigJson.Text(provider, "name") is { } providerName && providerName is "azure" or "gcp")
        {
            // Both were removed from client-go (Kubernetes 1.26); their replacements are exec plugins.
            throw new KubeConfigException($"user {userName}: the {providerName} auth-provider is no longer supported; use its exec credential plugin ("
                + (providerName == "azure" ? "kubelogin" : "gke-gcloud-auth-plugin") + ")");
        }
        if (KubeConfigJson.Object(user, "exec") is { } exec)
        {
            var plugin = new ExecCredentialPlugin(ExecSpec(exec, userName), time);
            var credential = plugin.Start();
            if (credential.Token is not null)
            {
                connection.TokenProvider = plugin;
            }
            if (credential.ClientCertificatePem is { } pem && credential.ClientKeyPem is { } key)
            {
                connection.ClientCertificateData = Convert.ToBase64String(Encoding.UTF8.GetBytes(pem));
                connection.ClientCertificateKeyData = Convert.ToBase64String(Encoding.UTF8.GetBytes(key));
            }
            found = true;
        }
        if (!found)
        {
            throw new KubeConfigException($"user {userName} has no credentials (token, tokenFile, username and password, client certificate and key, or exec)");
        }
    }

    private static ExecCredentialPlugin.Spec ExecSpec(JsonElement exec, string userName)
    {
        var command = KubeConfigJson.Text(exec, "command");
        var apiVersion = KubeConfigJson.Text(exec, "apiVersion");
        if (string.IsNullOrWhiteSpace(command) || string.IsNullOrWhiteSpace(apiVersion))
        {
            throw new KubeConfigException($"user {userName}: exec needs both command and apiVersion");
        }
        var args = new List<string>();
        if (KubeConfigJson.List(exec, "args") is { } argList)
        {
            foreach (var arg in argList.EnumerateArray())
            {
                args.Add(arg.ValueKind == JsonValueKind.String ? arg.GetString()! : arg.GetRawText());
            }
        }
        var env = new List<KeyValuePair<string, string>>();
        if (KubeConfigJson.List(exec, "env") is { } envList)
        {
            foreach (var variable in envList.EnumerateArray())
            {
                var name = KubeConfigJson.Text(variable, "name");
                var value = KubeConfigJson.Text(variable, "value");
                if (string.IsNullOrEmpty(name) || value is null)
                {
                    throw new KubeConfigException($"user {userName}: every exec env entry needs a name and a value");
                }
                env.Add(new(name, value));
            }
        }
        return new ExecCredentialPlugin.Spec(command, args, env, apiVersion);
    }

    /// <summary>The list entry whose name matches (ignoring case, as KubernetesClient did), and its member.</summary>
    private static JsonElement Named(JsonElement root, string list, string name, string member)
    {
        if (KubeConfigJson.List(root, list) is { } items)
        {
            foreach (var item in items.EnumerateArray())
            {
                if (string.Equals(KubeConfigJson.Text(item, "name"), name, StringComparison.OrdinalIgnoreCase))
                {
                    return KubeConfigJson.Object(item, member) ?? throw new KubeConfigException($"{list}: {name} has no {member}");
                }
            }
        }
        throw new KubeConfigException($"{list} has no entry named {name}");
    }

    /// <summary>A server given as 0.0.0.0 or :: (a listening address) is reached on loopback.</summary>
    private static string LoopbackForAny(Uri uri, string server)
    {
        if (!IPAddress.TryParse(uri.Host, out var address) || !(address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)))
        {
            return server;
        }
        var loopback = address.Equals(IPAddress.Any) ? IPAddress.Loopback : IPAddress.IPv6Loopback;
        return new UriBuilder(uri) { Host = loopback.ToString() }.ToString();
    }

    /// <summary>One certificate (DER) or a PEM bundle of them.</summary>
    internal static X509Certificate2Collection Authorities(byte[] data, string what)
    {
        var authorities = new X509Certificate2Collection();
        var text = Encoding.ASCII.GetString(data);
        if (text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            authorities.ImportFromPem(text);
        }
        else
        {
            authorities.Add(X509CertificateLoader.LoadCertificate(data));
        }
        return authorities.Count > 0 ? authorities : throw new KubeConfigException($"{what} holds no certificate");
    }
}
