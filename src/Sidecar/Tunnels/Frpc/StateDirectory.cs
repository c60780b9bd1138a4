using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Sidecar.Tunnels.Frpc;

/// <summary>
/// The state directory, opened once (O_DIRECTORY|O_NOFOLLOW) and checked on that handle: a real directory,
/// owned by our effective uid, writable by nobody else. Every file in it is then made relative to the
/// handle — created O_CREAT|O_EXCL|O_NOFOLLOW with mode 0600, renamed and deleted within it — so neither a
/// symlink planted at a file name nor a path swapped after the check can redirect a write.
/// </summary>
internal sealed partial class StateDirectory : IDisposable
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly SafeFileHandle _handle;

    private StateDirectory(string path, SafeFileHandle handle)
    {
        Path = path;
        _handle = handle;
    }

    /// <summary>The absolute path, for frpc's command line and for logs.</summary>
    public string Path { get; }

    public string PathOf(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes <paramref name="text"/> as <paramref name="name"/>, atomically, mode 0600.</summary>
    /// <exception cref="IOException">The file could not be written.</exception>
    public void WriteAtomic(string name, string text)
    {
        // frpc must never read half a file: write a temporary file, then rename(2) it into place.
        var temp = $"{name}.{Environment.ProcessId}.tmp";
        using (var file = CreateExclusive(temp))
        {
            try
            {
                using var stream = new FileStream(file, FileAccess.Write, bufferSize: 0);
                stream.Write(Encoding.UTF8.GetBytes(text));
                stream.Flush(flushToDisk: true);
            }
            catch
            {
                TryDelete(temp);
                throw;
            }
        }
        if (Posix.RenameAt(_handle, temp, _handle, name) != 0)
        {
            var error = Posix.LastError().Text;
            TryDelete(temp);
            throw new IOException($"cannot rename {temp} to {name} in {Path}: {error}");
        }
    }

    /// <summary>A new file: O_EXCL|O_NOFOLLOW, so whatever sits at the name (a planted symlink) is never followed.</summary>
    private SafeFileHandle CreateExclusive(string name)
    {
        const int Flags = Posix.OWrOnly | Posix.OCreat | Posix.OExcl | Posix.OCloExec;
        var fd = Posix.OpenAt(_handle, name, Flags | Posix.ONoFollow, (uint)FileMode);
        if (fd < 0)
        {
            // Most likely something is at the name (a leftover of a run that died mid-write, or a planted
            // link): unlinked, never followed, and tried once more.
            Posix.UnlinkAt(_handle, name, 0);
            fd = Posix.OpenAt(_handle, name, Flags | Posix.ONoFollow, (uint)FileMode);
        }
        return fd >= 0
            ? new SafeFileHandle(fd, ownsHandle: true)
            : throw new IOException($"cannot create {name} in {Path}: {Posix.LastError().Text}");
    }

    /// <summary>Opens (creating it 0600 if needed) <paramref name="name"/> and takes an exclusive flock(2) on it.</summary>
    /// <returns>The held lock, or null when another process holds it.</returns>
    public SafeFileHandle? TryLock(string name)
    {
        var fd = Posix.OpenAt(_handle, name, Posix.ORdWr | Posix.OCreat | Posix.ONoFollow | Posix.OCloExec, (uint)FileMode);
        if (fd < 0)
        {
            throw new IOException($"cannot open {name} in {Path}: {Posix.LastError().Text}");
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (Posix.Lock(handle, Posix.LockExclusive | Posix.LockNonBlocking) == 0)
        {
            return handle;
        }
        // With LOCK_NB the one ordinary failure is EWOULDBLOCK: held elsewhere (errno is not relied on).
        handle.Dispose();
        return null;
    }

    /// <returns>The file's text when it is a regular file of at most <paramref name="maxBytes"/>; else null.</returns>
    public string? TryReadText(string name, int maxBytes)
    {
        // O_NONBLOCK: a FIFO at the name must not hang us.
        var fd = Posix.OpenAt(_handle, name, Posix.ORdOnly | Posix.ONoFollow | Posix.ONonBlock | Posix.OCloExec, 0);
        if (fd < 0)
        {
            return null;
        }
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (Posix.StatX(handle, "", Posix.AtEmptyPath, FileStatus.BasicMask, out var status) != 0 || !status.IsRegularFile)
        {
            return null;
        }
        var buffer = new byte[maxBytes + 1];
        var length = RandomAccess.Read(handle, buffer, 0);
        return length <= maxBytes ? Encoding.UTF8.GetString(buffer, 0, length) : null;
    }

    /// <summary>Names of the entries (not "." or "..").</summary>
    public IReadOnlyList<string> Names()
    {
        // /proc/self/fd/N is the directory we hold, wherever its path now leads (only names are taken
        // from the listing, every operation goes through the handle, so the path is an acceptable fallback).
        var held = $"/proc/self/fd/{_handle.DangerousGetHandle()}";
        var listed = Directory.Exists(held) ? held : Path;
        return [.. Directory.EnumerateFileSystemEntries(listed).Select(System.IO.Path.GetFileName).OfType<string>()];
    }

    /// <returns>True when the name is gone afterwards.</returns>
    public bool TryDelete(string name) =>
        Posix.UnlinkAt(_handle, name, 0) == 0 || Posix.LastError().Errno == Posix.ENoEnt;

    public void Dispose() => _handle.Dispose();
}
