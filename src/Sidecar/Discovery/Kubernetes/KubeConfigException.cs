namespace Sidecar.Discovery.Kubernetes;

/// <summary>A kubeconfig, service account or credential plugin that cannot be used; the message says what is wrong.</summary>
internal sealed class KubeConfigException(string message, Exception? inner = null) : Exception(message, inner);
