namespace Sidecar.Discovery.Model;

/// <summary>One line of a watch stream: <c>ADDED|MODIFIED|DELETED|BOOKMARK|ERROR</c> and its object, read as an FRPServer.</summary>
internal sealed class WatchEvent
{
    public string? Type { get; init; }
    public FrpServer? Object { get; init; }
}
