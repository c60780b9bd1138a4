namespace Sidecar.Discovery;

/// <summary>
/// Feeds FRPServer resources into a <see cref="ResourceCache"/> until cancelled. A source writes to the cache
/// only after a successful read, so a failed list, watch or file read leaves the last known good state.
/// </summary>
internal interface IResourceSource
{
    string Description { get; }

    /// <summary>How many independent full reads make up the whole picture (one per watched name).</summary>
    int Partitions => 1;

    /// <summary>Runs until cancelled; failures are logged and retried, never thrown.</summary>
    Task RunAsync(ResourceCache cache, CancellationToken cancellationToken);
}
