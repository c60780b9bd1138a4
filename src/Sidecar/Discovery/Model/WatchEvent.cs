using System.Text.Json;

namespace Sidecar.Discovery.Model;

/// <summary>One line of a watch stream: <c>ADDED|MODIFIED|DELETED|BOOKMARK|ERROR</c> and an object (a Status for ERROR).</summary>
internal sealed class WatchEvent
{
    public string? Type { get; init; }
    public JsonElement Object { get; init; }
}
