using Microsoft.Extensions.Logging;

namespace Sidecar.Discovery.Files;

internal sealed partial class FileSource
{
    [LoggerMessage(4151, LogLevel.Information, "Loaded {Count} FRPServers from {Path}")]
    private partial void LogLoaded(string path, int count);

    [LoggerMessage(4152, LogLevel.Warning, "Cannot read {Path} ({Reason}); keeping the previous state")]
    private partial void LogReadFailed(string path, string reason);

    [LoggerMessage(4153, LogLevel.Warning, "Cannot parse {Path} ({Reason}); keeping the previous state")]
    private partial void LogParseFailed(string path, string reason);

    [LoggerMessage(4154, LogLevel.Information, "Not watching {Path} for changes ({Reason}); polling every {Seconds:0.#} s")]
    private partial void LogNoWatcher(string path, string reason, double seconds);
}
