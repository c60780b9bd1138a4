using System.Runtime.Versioning;

// Like the product (src/Sidecar/Platform.cs), the tests run on Linux only.
[assembly: SupportedOSPlatform("linux")]
