using System.Text.Json.Serialization;

namespace Sidecar.Discovery.Model;

/// <summary>An <c>FRPServer</c> resource (<c>tunnel.kubeinfra.io/v1alpha1</c>, cluster-scoped): the fields we use.</summary>
[JsonConverter(typeof(FrpServerConverter))]
internal sealed class FrpServer : IMalformable<FrpServer>
{
    public const string ApiGroupVersion = "tunnel.kubeinfra.io/v1alpha1";
    public const string KindName = "FRPServer";

    public string? ApiVersion { get; init; }
    public string? Kind { get; init; }
    public ResourceMetadata? Metadata { get; init; }
    public FrpServerSpec? Spec { get; init; }
    public FrpServerStatus? Status { get; init; }

    /// <summary>Set instead of the fields when this item of a list could not be read; says why.</summary>
    [JsonIgnore]
    public string? ParseError { get; init; }

    /// <summary>For a malformed update: the resource's last readable version, kept so a bad write tears nothing down.</summary>
    [JsonIgnore]
    public FrpServer? LastGood { get; init; }

    [JsonIgnore]
    public string Name => Metadata?.Name ?? "";

    public static FrpServer Malformed(string? name, string error) =>
        new() { Metadata = new ResourceMetadata { Name = name }, ParseError = error };
}
