using Microsoft.Extensions.Logging;

namespace Sidecar.Discovery.Files;

internal sealed partial class FileSource
{
    /// <summary>Debug: a rewrite that changes nothing the sidecar uses would otherwise log once a second; the discovery loop says when endpoints change.</summary>
    [LoggerMessage(DiscoveryEventIds.FileLoaded, LogLevel.Debug, "Loaded {Count} FRPServers from {Path}")]
    private partial void LogLoaded(string path, int count);

    [LoggerMessage(DiscoveryEventIds.FileReadFailed, LogLevel.Warning, "Cannot read {Path} ({Reason}); keeping the previous state")]
    private partial void LogReadFailed(string path, string reason);

    [LoggerMessage(DiscoveryEventIds.FileParseFailed, LogLevel.Warning, "Cannot parse {Path} ({Reason}); keeping the previous state")]
    private partial void LogParseFailed(string path, string reason);

    [LoggerMessage(DiscoveryEventIds.FileNotWatched, LogLevel.Information, "Not watching {Path} for changes ({Reason}); polling every {Seconds:0.#} s")]
    private partial void LogNoWatcher(string path, string reason, double seconds);

    [LoggerMessage(DiscoveryEventIds.FileTooLarge, LogLevel.Warning, "Not reading {Path}: it holds {Size} bytes or more, larger than the limit of {Limit} bytes; keeping the previous state. Split the resources over fewer, smaller files or use the Kubernetes source")]
    private partial void LogTooLarge(string path, long size, int limit);
}
