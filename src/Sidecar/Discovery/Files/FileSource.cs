using Microsoft.Extensions.Logging;
using Sidecar.Discovery;

namespace Sidecar.Discovery.Files;

/// <summary>
/// Reads FRPServers from a YAML or JSON file and re-reads it when it changes: a FileSystemWatcher for
/// promptness, polling (size and mtime) as the fallback that always works. A file that cannot be read or
/// parsed leaves the previous state in place.
/// </summary>
internal sealed partial class FileSource(string path, TimeSpan pollInterval, TimeProvider timeProvider, ILogger<FileSource> logger) : IResourceSource
{
    /// <summary>Editors write in several steps; wait this long after a change event before reading.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(20);

    public string Description => $"file {path}";

    public async Task RunAsync(ResourceCache cache, CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(path);
        using var changed = new SemaphoreSlim(0);
        using var watcher = TryWatch(fullPath, changed);
        (long Length, DateTime Modified)? lastStamp = null;
        string? lastText = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            var stamp = Stamp(fullPath);
            if (stamp != lastStamp || lastStamp is null)
            {
                lastStamp = stamp;
                lastText = Load(cache, fullPath, lastText);
            }
            using var timer = new CancellationTokenSource(pollInterval, timeProvider);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
            try
            {
                await changed.WaitAsync(wait.Token).ConfigureAwait(false);
                await Task.Delay(Settle, timeProvider, cancellationToken).ConfigureAwait(false);
                lastStamp = null; // a notification forces a read even if size and mtime look the same
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Poll interval elapsed.
            }
        }
    }

    /// <returns>The text now in effect (unchanged on failure, so a broken file is reported once).</returns>
    private string? Load(ResourceCache cache, string fullPath, string? lastText)
    {
        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            cache.ReportFailure();
            if (lastText is not "")
            {
                LogReadFailed(fullPath, e.Message);
            }
            return "";
        }
        if (text == lastText)
        {
            return lastText;
        }
        try
        {
            var servers = ResourceDocuments.Parse(text);
            cache.Replace(servers);
            LogLoaded(fullPath, servers.Count);
        }
        catch (FormatException e)
        {
            cache.ReportFailure();
            LogParseFailed(fullPath, e.Message);
        }
        return text;
    }

    private FileSystemWatcher? TryWatch(string fullPath, SemaphoreSlim changed)
    {
        try
        {
            var watcher = new FileSystemWatcher(Path.GetDirectoryName(fullPath)!, Path.GetFileName(fullPath))
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName | NotifyFilters.CreationTime,
            };
            FileSystemEventHandler onChange = (_, _) => changed.Release();
            watcher.Changed += onChange;
            watcher.Created += onChange;
            watcher.Deleted += onChange;
            watcher.Renamed += (_, _) => changed.Release();
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException)
        {
            LogNoWatcher(fullPath, e.Message, pollInterval.TotalSeconds);
            return null;
        }
    }

    private static (long, DateTime)? Stamp(string fullPath)
    {
        var info = new FileInfo(fullPath);
        return info.Exists ? (info.Length, info.LastWriteTimeUtc) : null;
    }
}
