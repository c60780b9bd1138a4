using System.Runtime.Versioning;

// Like the product (src/Sidecar/Platform.cs), the benchmark runs on Linux only.
[assembly: SupportedOSPlatform("linux")]
