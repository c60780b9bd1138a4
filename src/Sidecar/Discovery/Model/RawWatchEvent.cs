using System.Text.Json;

namespace Sidecar.Discovery.Model;

/// <summary>A watch line whose object is kept raw: for ERROR events (a Status) and objects the model cannot read.</summary>
internal sealed class RawWatchEvent
{
    public string? Type { get; init; }
    public JsonElement Object { get; init; }
}
