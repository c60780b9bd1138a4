namespace Sidecar.Discovery.Files;

/// <summary>Reads a whole file, but never more than a limit: a huge or endless file (/dev/zero) is refused, not read.</summary>
internal static class BoundedFile
{
    /// <returns>False when the file holds more than <paramref name="maxBytes"/>; <paramref name="size"/> says how much (at least).</returns>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static bool TryRead(string path, int maxBytes, out ReadOnlyMemory<byte> content, out long size)
    {
        content = default;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        size = stream.CanSeek ? stream.Length : 0;
        if (size > maxBytes)
        {
            return false;
        }
        // One byte more than the limit: a file that grew since its length was read (or has none, like a
        // device) is noticed without reading further.
        var buffer = new byte[(int)Math.Min(size > 0 ? size + 1 : 64 * 1024, maxBytes + 1L)];
        var total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                if (buffer.Length > maxBytes)
                {
                    size = total;
                    return false;
                }
                Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, maxBytes + 1L));
            }
            var read = stream.Read(buffer, total, buffer.Length - total);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        size = total;
        content = buffer.AsMemory(0, total);
        return true;
    }
}
