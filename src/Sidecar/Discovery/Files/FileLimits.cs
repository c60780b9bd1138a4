namespace Sidecar.Discovery.Files;

/// <summary>
/// Bounds on what a resource file can cost, so that any file, accepted or refused, keeps the sidecar within the
/// Pod example's 64 MiB memory limit (docs/discovery.md, "Limits of the file source").
/// </summary>
internal static class FileLimits
{
    /// <summary>
    /// Largest file read. A resource with 100 proxies is ~60 KB of YAML, so 4 MiB holds dozens of busy frp
    /// servers; a larger file is refused unread (a 50 MB file once cost 428 MB of memory).
    /// </summary>
    public const int MaxFileBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Largest JSON a YAML file may become once aliases are expanded: twice the file limit, as plain YAML
    /// (<c>a: b</c>) converts to at most about twice its size. Bounds alias bombs by what they produce, not by
    /// node count: 585 bytes of nested aliases once expanded to 172 MB.
    /// </summary>
    public const int MaxJsonBytes = 2 * MaxFileBytes;

    /// <summary>
    /// Deepest nesting of mappings and sequences. An FRPServer nests about 6 levels
    /// (status.activeConnections[].proxyConfig.transport); System.Text.Json stops at 64, with an exception
    /// that once stopped the file source for good.
    /// </summary>
    public const int MaxDepth = 32;

    /// <summary>After reading a file at least this large, the heap is compacted so the memory goes back to the system.</summary>
    public const int CompactAfterBytes = 1024 * 1024;
}
