using System.Text.Json.Serialization;

namespace Sidecar.Discovery.Model;

/// <summary>One line of a watch stream: <c>ADDED|MODIFIED|DELETED|BOOKMARK|ERROR</c> and its object, read as an FRPServer.</summary>
[JsonConverter(typeof(WatchEventConverter))]
internal sealed class WatchEvent
{
    public string? Type { get; init; }
    public FrpServer? Object { get; init; }
}
