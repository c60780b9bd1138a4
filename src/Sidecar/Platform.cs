using System.Runtime.Versioning;

// The sidecar runs on Linux only (a Kubernetes sidecar; it reads /proc and sets Unix file modes).
[assembly: SupportedOSPlatform("linux")]
