namespace Sidecar.Hosting;

/// <summary>A component could not start. The message tells the operator what to do; the host exits 1.</summary>
internal sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
