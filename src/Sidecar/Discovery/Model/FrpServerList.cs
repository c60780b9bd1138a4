using System.Text.Json.Serialization;

namespace Sidecar.Discovery.Model;

/// <summary>The answer to a list call (<c>FRPServerList</c>); an unreadable item is kept as a malformed placeholder.</summary>
[JsonConverter(typeof(FrpServerListConverter))]
internal sealed class FrpServerList
{
    public string? ApiVersion { get; init; }
    public string? Kind { get; init; }
    public ListMetadata? Metadata { get; init; }

    public List<FrpServer>? Items { get; init; }
}
