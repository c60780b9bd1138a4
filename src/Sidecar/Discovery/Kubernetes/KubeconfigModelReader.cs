using System.Text.Json;
using k8s.Exceptions;
using k8s.KubeConfigModels;
using Sidecar.Discovery.Files;

namespace Sidecar.Discovery.Kubernetes;

/// <summary>
/// A kubeconfig file read into KubernetesClient's own model (<see cref="K8SConfiguration"/>), which the library then
/// turns into a configuration (<c>BuildConfigFromConfigObject</c>: context, cluster, credentials, exec plugins). The
/// YAML goes through the file source's <see cref="YamlToJson"/> (bounded the same way; every scalar as its exact
/// text, as the library's mapper into string fields reads it) instead of the library's YAML object mapper, whose
/// deserializer, type inspector and the reflection they use cost ~0.2 MB of the AOT binary for these few fields.
/// Every member the model has is read; unknown ones are ignored, as the library does.
/// </summary>
internal static class KubeconfigModelReader
{
    private static readonly JsonElement NoItems = JsonDocument.Parse("[]").RootElement.Clone();

    /// <exception cref="KubeConfigException">Empty, or a member of the wrong shape.</exception>
    /// <exception cref="IOException">Unreadable (the message names the path).</exception>
    /// <exception cref="FormatException">Not YAML.</exception>
    public static K8SConfiguration Read(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (new FileInfo(fullPath) is { Exists: true, Length: > FileLimits.MaxFileBytes })
        {
            throw new KubeConfigException($"{fullPath} is larger than {FileLimits.MaxFileBytes} bytes");
        }
        var documents = YamlToJson.Convert(File.ReadAllBytes(fullPath), scalarsAsText: true);
        if (documents.Count == 0)
        {
            throw new KubeConfigException($"{fullPath} is empty");
        }
        using var document = JsonDocument.Parse(documents[0]);
        var root = Mapping(document.RootElement, "the kubeconfig") ?? throw new KubeConfigException($"{fullPath} is empty");
        var config = new K8SConfiguration
        {
            ApiVersion = Text(root, "apiVersion"),
            Kind = Text(root, "kind"),
            CurrentContext = Text(root, "current-context"),
            FileName = fullPath, // relative paths in it are relative to the file
        };
        foreach (var item in Items(root, "contexts"))
        {
            config.Contexts.Add(new Context { Name = Text(item, "name"), ContextDetails = ContextDetails(Member(item, "context")) });
        }
        foreach (var item in Items(root, "clusters"))
        {
            config.Clusters.Add(new Cluster { Name = Text(item, "name"), ClusterEndpoint = ClusterEndpoint(Member(item, "cluster")) });
        }
        foreach (var item in Items(root, "users"))
        {
            config.Users.Add(new User { Name = Text(item, "name"), UserCredentials = UserCredentials(Member(item, "user")) });
        }
        return config;
    }

    private static ContextDetails? ContextDetails(JsonElement? details) => details is not { } d ? null : new ContextDetails
    {
        Cluster = Text(d, "cluster"),
        User = Text(d, "user"),
        Namespace = Text(d, "namespace"),
    };

    private static ClusterEndpoint? ClusterEndpoint(JsonElement? cluster) => cluster is not { } c ? null : new ClusterEndpoint
    {
        Server = Text(c, "server"),
        CertificateAuthority = Text(c, "certificate-authority"),
        CertificateAuthorityData = Text(c, "certificate-authority-data"),
        TlsServerName = Text(c, "tls-server-name"),
        SkipTlsVerify = Flag(c, "insecure-skip-tls-verify"),
    };

    private static UserCredentials? UserCredentials(JsonElement? user)
    {
        if (user is not { } u)
        {
            return null;
        }
        var credentials = new UserCredentials
        {
            ClientCertificateData = Text(u, "client-certificate-data"),
            ClientCertificate = Text(u, "client-certificate"),
            ClientKeyData = Text(u, "client-key-data"),
            ClientKey = Text(u, "client-key"),
            Token = Text(u, "token"),
            Impersonate = Text(u, "as"),
            ImpersonateGroups = [.. Texts(u, "as-groups")],
            UserName = Text(u, "username"),
            Password = Text(u, "password"),
        };
        Pairs(u, "as-user-extra", credentials.ImpersonateUserExtra);
        if (Member(u, "auth-provider") is { } provider)
        {
            credentials.AuthProvider = new AuthProvider { Name = Text(provider, "name"), Config = new() };
            Pairs(provider, "config", credentials.AuthProvider.Config);
        }
        if (Member(u, "exec") is { } exec)
        {
            var environment = new List<Dictionary<string, string>>();
            foreach (var variable in Items(exec, "env"))
            {
                var pairs = new Dictionary<string, string>();
                Pairs(variable, null, pairs);
                environment.Add(pairs);
            }
            credentials.ExternalExecution = new ExternalExecution
            {
                ApiVersion = Text(exec, "apiVersion"),
                Command = Text(exec, "command"),
                Arguments = Member(exec, "args") is null ? null : Texts(exec, "args"),
                EnvironmentVariables = Member(exec, "env") is null ? null : environment,
                InstallHint = Text(exec, "installHint"),
                ProvideClusterInfo = Flag(exec, "provideClusterInfo"),
            };
        }
        return credentials;
    }

    /// <summary>A mapping's member; null when absent or null.</summary>
    /// <exception cref="KubeConfigException">The parent is not a mapping.</exception>
    private static JsonElement? Member(JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object)
        {
            throw new KubeConfigException($"an entry holding {name} is not a mapping");
        }
        return parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
    }

    /// <exception cref="KubeConfigException">Not a mapping.</exception>
    private static JsonElement? Mapping(JsonElement value, string what) => value.ValueKind switch
    {
        JsonValueKind.Object => value,
        JsonValueKind.Null => null,
        _ => throw new KubeConfigException($"{what} is not a mapping"),
    };

    private static string? Text(JsonElement parent, string name) => Member(parent, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        _ => throw new KubeConfigException($"{name} is not a single value"),
    };

    /// <summary>A boolean as the library's YAML mapper reads one (YAML 1.1 words, any case).</summary>
    private static bool Flag(JsonElement parent, string name) => Text(parent, name)?.ToLowerInvariant() switch
    {
        null => false,
        "true" or "y" or "yes" or "on" => true,
        "false" or "n" or "no" or "off" => false,
        var text => throw new KubeConfigException($"{name} is not true or false: {text}"),
    };

    private static List<string> Texts(JsonElement parent, string name)
    {
        var texts = new List<string>();
        foreach (var item in Items(parent, name))
        {
            texts.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw new KubeConfigException($"{name} holds a non-text item"));
        }
        return texts;
    }

    /// <summary>The items of a list member; none when absent.</summary>
    private static JsonElement.ArrayEnumerator Items(JsonElement parent, string name) => Member(parent, name) switch
    {
        null => NoItems.EnumerateArray(),
        { ValueKind: JsonValueKind.Array } list => list.EnumerateArray(),
        _ => throw new KubeConfigException($"{name} is not a list"),
    };

    /// <summary>A mapping of text to text (the member <paramref name="name"/>, or <paramref name="parent"/> itself).</summary>
    private static void Pairs(JsonElement parent, string? name, Dictionary<string, string> into)
    {
        if ((name is null ? Mapping(parent, "an exec env entry") : Member(parent, name) is { } m ? Mapping(m, name) : null) is not { } mapping)
        {
            return;
        }
        foreach (var pair in mapping.EnumerateObject())
        {
            into[pair.Name] = pair.Value.ValueKind == JsonValueKind.String ? pair.Value.GetString()! : throw new KubeConfigException($"{pair.Name} is not a single value");
        }
    }
}
