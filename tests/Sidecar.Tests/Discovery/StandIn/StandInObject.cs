using System.Text;
using System.Text.Json.Nodes;

namespace Sidecar.Tests.Discovery.StandIn;

/// <summary>A stored resource: its JSON, encoded once (lists concatenate the encodings), its name and labels for selectors.</summary>
internal sealed record StandInObject(JsonObject Json, byte[] Encoded, string Name, IReadOnlyDictionary<string, string> Labels)
{
    public static StandInObject From(JsonObject json) => new(json, Encoding.UTF8.GetBytes(json.ToJsonString()),
        json["metadata"]?["name"]?.GetValue<string>() ?? "", StandInSelector.LabelsOf(json));
}

/// <summary>One change in the stand-in's bounded history: the version, what it is about, and the watch line sent.</summary>
internal sealed record StandInEvent(long Rv, string Name, IReadOnlyDictionary<string, string> Labels, byte[] Line);
