using Microsoft.Extensions.Logging;
using Sidecar.Logging;
using Sidecar.Resilience;

namespace Sidecar.Discovery.Files;

/// <summary>
/// Reads FRPServers from a YAML or JSON file and re-reads it when it changes: a FileSystemWatcher for
/// promptness, polling (size and mtime) as the fallback that always works. A file that cannot be read or
/// parsed, or is larger than <see cref="FileLimits.MaxFileBytes"/>, leaves the previous state in place and
/// the file watched. Resources are compared by content: a hand edit keeps its resourceVersion.
/// </summary>
internal sealed partial class FileSource(string path, TimeSpan pollInterval, TimeProvider timeProvider, ILogger<FileSource> logger) : IResourceSource
{
    /// <summary>Editors write in several steps; wait this long after a change event before reading.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(20);

    /// <summary>Stands for "the last read failed and was reported", so a file that reappears unchanged is read again.</summary>
    private static readonly ContentFingerprint FailureReported = new(-1, 0);

    /// <summary>Fingerprint of the content in effect (not the content: a 4 MiB file would stay in memory).</summary>
    private ContentFingerprint? _lastContent;
    private bool _tooLargeLogged;
    /// <summary>Size of the file whose content is in effect: replacing a large one frees much memory.</summary>
    private long _stateBytes;

    public string Description => $"file {path}";

    public async Task RunAsync(ResourceCache cache, CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(path);
        using var changed = new SemaphoreSlim(0);
        FileSystemWatcher? watcher = null;
        var watchTried = false;
        (long Length, DateTime Modified)? lastStamp = null;
        var first = true;
        var compactDue = false;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (compactDue)
                {
                    // A poll interval after the read, so the reconcile pass has let go of what the read replaced.
                    HeapCompaction.GiveBackMemory();
                    compactDue = false;
                }
                var stamp = Stamp(fullPath);
                if (stamp != lastStamp || first)
                {
                    first = false;
                    lastStamp = stamp;
                    var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                    var replacedBytes = _stateBytes;
                    var outcome = Load(cache, fullPath);
                    // Give memory back after a read that needed much (a large file, an alias bomb refused at its
                    // limit), replaced a large state, or was refused: a hostile file costs nothing once it is gone.
                    compactDue = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore >= FileLimits.CompactAfterBytes
                        || outcome == ReadOutcome.Refused
                        || (outcome == ReadOutcome.Replaced && replacedBytes >= FileLimits.CompactAfterBytes);
                }
                if (!watchTried)
                {
                    // After the first read, not before: adding the inotify watch costs more than reading a small file,
                    // and the first DNS answer waits for that read. A change made in between shows in the stamp and
                    // is handled like a notification, after the settle time: the writer may be half-way through.
                    watchTried = true;
                    watcher = TryWatch(fullPath, changed);
                    if (Stamp(fullPath) != lastStamp)
                    {
                        changed.Release();
                    }
                }
                using var timer = new CancellationTokenSource(pollInterval, timeProvider);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
                // The poll interval ends the wait as a cancelled task, not a thrown exception: this runs every
                // interval for the life of the process, and each throw walked the stack through the unwind tables,
                // which stayed mapped (about 0.6 MiB of RSS over the first minutes of an idle sidecar).
                var notified = changed.WaitAsync(wait.Token);
                await notified.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (notified.IsCompletedSuccessfully)
                {
                    await Task.Delay(Settle, timeProvider, cancellationToken).ConfigureAwait(false);
                    first = true; // a notification forces a read even if size and mtime look the same
                }
            }
        }
        finally
        {
            watcher?.Dispose();
        }
    }

    private ReadOutcome Load(ResourceCache cache, string fullPath)
    {
        ReadOnlyMemory<byte> content;
        try
        {
            if (!BoundedFile.TryRead(fullPath, FileLimits.MaxFileBytes, out content, out var size))
            {
                cache.ReportFailure();
                _lastContent = null;
                if (!_tooLargeLogged)
                {
                    LogTooLarge(fullPath, size, FileLimits.MaxFileBytes);
                    _tooLargeLogged = true;
                }
                return ReadOutcome.Refused;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            cache.ReportFailure();
            if (_lastContent != FailureReported)
            {
                LogReadFailed(fullPath, UntrustedText.ForLog(e.Message, UntrustedText.MaxMessageLength));
            }
            _lastContent = FailureReported;
            return ReadOutcome.Unchanged;
        }
        _tooLargeLogged = false;
        var fingerprint = ContentFingerprint.Of(content.Span);
        if (fingerprint == _lastContent)
        {
            return ReadOutcome.Unchanged; // touched, not changed; a broken file is reported once
        }
        _lastContent = fingerprint;
        try
        {
            var servers = ResourceDocuments.Parse(content);
            cache.Replace(servers); // compared by content: hand edits keep resourceVersion
            LogLoaded(fullPath, servers.Count);
            _stateBytes = content.Length;
            return ReadOutcome.Replaced;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Parsing is pure: whatever it throws is about this file's content. Keep the last good state.
            cache.ReportFailure();
            var reason = e is FormatException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            LogParseFailed(fullPath, UntrustedText.ForLog(reason, UntrustedText.MaxMessageLength));
            return ReadOutcome.Refused;
        }
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

    private enum ReadOutcome
    {
        Unchanged,
        Replaced,
        Refused,
    }
}
