using System.Text;

namespace Sidecar.Tunnels.Frpc;

/// <summary>
/// Files that hold secrets: a directory only we can enter (0700) and files only we can read (0600),
/// written to a temporary file and renamed so frpc never reads half a config (rename(2) is atomic).
/// </summary>
internal static class PrivateFiles
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the directory if needed and tightens its mode to 0700 either way.</summary>
    public static void EnsureDirectory(string path)
    {
        Directory.CreateDirectory(path, DirectoryMode);
        File.SetUnixFileMode(path, DirectoryMode);
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> atomically with mode 0600.</summary>
    public static void WriteAtomic(string path, string text)
    {
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            // The mode is set at creation, so the secret is never readable by others, not even briefly.
            var options = new FileStreamOptions
            {
                Mode = System.IO.FileMode.Create,
                Access = FileAccess.Write,
                Share = FileShare.None,
                UnixCreateMode = FileMode,
            };
            using (var stream = new FileStream(temp, options))
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            // FileMode.Create keeps the mode of an existing file: make sure it is 0600.
            File.SetUnixFileMode(temp, FileMode);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the next start cleans the state directory again.
        }
    }
}
