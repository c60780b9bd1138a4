using Microsoft.Win32.SafeHandles;

namespace Sidecar.Tunnels.Frpc;

/// <summary>Opening the state directory: made 0700 when absent, then checked on the handle that is kept.</summary>
internal sealed partial class StateDirectory
{
    private const UnixFileMode GroupOrOtherWrite = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    /// <summary>Creates the directory (0700) when absent, opens it and checks what it opened.</summary>
    /// <exception cref="StateDirectoryException">It is unsafe or unavailable; the message says which and why.</exception>
    public static StateDirectory Open(string path)
    {
        path = System.IO.Path.GetFullPath(path);
        var createError = Create(path);
        // Decided on lstat, not on errno, which a static binary whose libc calls are dlopen'ed cannot read.
        if (Posix.StatX(Posix.AtFdCwd, path, Posix.AtSymlinkNoFollow, FileStatus.BasicMask, out var link) != 0)
        {
            throw new StateDirectoryException($"state directory '{path}' cannot be created ({createError}); give --state-dir a private, writable directory", isUnsafe: false);
        }
        if (link.IsSymlink)
        {
            throw Unsafe(path, "is a symbolic link");
        }
        if (!link.IsDirectory)
        {
            throw Unsafe(path, "is not a directory");
        }
        var fd = Posix.OpenAt(Posix.AtFdCwd, path, Posix.ORdOnly | Posix.ODirectory | Posix.ONoFollow | Posix.OCloExec, 0);
        if (fd < 0)
        {
            var (errno, text) = Posix.LastError();
            throw errno switch
            {
                Posix.ELoop => Unsafe(path, "is a symbolic link"),
                Posix.ENotDir => Unsafe(path, "is not a directory"),
                _ => new StateDirectoryException($"state directory '{path}' cannot be opened ({text}); give --state-dir a private, writable directory", isUnsafe: false),
            };
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            Check(path, handle);
            return new StateDirectory(path, handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <returns>Why mkdir(2) failed, for the message if the directory then does not exist; else null.</returns>
    private static string? Create(string path)
    {
        var parent = System.IO.Path.GetDirectoryName(path);
        try
        {
            if (parent is not null && !Directory.Exists(parent))
            {
                Directory.CreateDirectory(parent, DirectoryMode);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StateDirectoryException($"state directory '{path}' cannot be created ({e.Message}); give --state-dir a private, writable directory", isUnsafe: false);
        }
        // mkdir(2) with 0700, so it is never open to others, not even briefly; an existing one is checked after.
        return Posix.MakeDirectory(path, (uint)DirectoryMode) == 0 ? null : Posix.LastError().Text;
    }

    /// <summary>Checks the directory we hold, not the path: what was made or found is what is used.</summary>
    private static void Check(string path, SafeFileHandle handle)
    {
        if (Posix.StatX(handle, "", Posix.AtEmptyPath, FileStatus.BasicMask, out var status) != 0)
        {
            throw new StateDirectoryException($"state directory '{path}' cannot be examined ({Posix.LastError().Text})", isUnsafe: false);
        }
        var uid = Posix.GetEffectiveUid();
        if (!status.IsDirectory)
        {
            throw Unsafe(path, "is not a directory");
        }
        if (status.Uid != uid)
        {
            throw Unsafe(path, $"is owned by uid {status.Uid}, not by this process's uid {uid}");
        }
        if ((status.Permissions & GroupOrOtherWrite) != 0)
        {
            throw Unsafe(path, $"is writable by group or others (mode {Octal(status.Permissions)})");
        }
        // Ours and closed to writers: hide the file names too (systemd makes its directories 0755).
        if (status.Permissions != DirectoryMode && Posix.ChangeMode(handle, (uint)DirectoryMode) != 0)
        {
            throw new StateDirectoryException($"state directory '{path}' cannot be made private ({Posix.LastError().Text})", isUnsafe: false);
        }
    }

    private static StateDirectoryException Unsafe(string path, string what) =>
        new($"state directory '{path}' {what}: another user could read the frp secrets written there or plant files in it; remove it, or give --state-dir a directory owned by this user with mode 0700", isUnsafe: true);

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');
}
