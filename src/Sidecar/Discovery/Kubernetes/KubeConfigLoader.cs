using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;
using Sidecar.Hosting;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

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
                return KubernetesClientConfiguration.BuildConfigFromConfigObject(ReadKubeconfig(kubeconfigPath));
            }
            if (KubernetesClientConfiguration.IsInCluster())
            {
                return KubernetesClientConfiguration.InClusterConfig();
            }
        }
        catch (Exception e) when (e is KubeConfigException or IOException or UnauthorizedAccessException or FormatException
            or ArgumentException or YamlException or System.Security.Cryptography.CryptographicException)
        {
            throw new StartupException($"cannot load the Kubernetes configuration ({kubeconfigPath ?? "in-cluster"}): {e.Message}", e);
        }
        throw new StartupException("not running in a cluster and no kubeconfig given: set --kubeconfig/KUBECONFIG, or use --source file:PATH");
    }

    /// <summary>
    /// The kubeconfig file as the library's own model, read with a deserializer for that model only (the library's
    /// source-generated <see cref="k8s.KubeConfigModels.StaticContext"/>, with the same naming and the same tolerance of unknown keys as
    /// <c>BuildConfigFromConfigFile</c>; the kubeconfig model has no member the library's extra converters apply to).
    /// That method goes through the library's general YAML helper, whose static set-up also builds a YAML serializer
    /// for the Kubernetes models (emitters, converters, big-number fractions) that reading a kubeconfig never runs.
    /// Relative paths stay relative to the file (<see cref="K8SConfiguration.FileName"/>).
    /// </summary>
    private static K8SConfiguration ReadKubeconfig(string path)
    {
        var fullPath = Path.GetFullPath(path);
        var deserializer = new StaticDeserializerBuilder(new k8s.KubeConfigModels.StaticContext())
            .WithNamingConvention(CamelCaseNamingConvention.Instance)
            .IgnoreUnmatchedProperties()
            .Build();
        using var reader = new StreamReader(fullPath);
        var config = deserializer.Deserialize<K8SConfiguration?>(new MergingParser(new Parser(reader)))
            ?? throw new KubeConfigException($"{fullPath} is empty");
        config.FileName = fullPath;
        return config;
    }
}
