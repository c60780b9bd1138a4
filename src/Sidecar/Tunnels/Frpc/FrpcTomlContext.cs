using Tomlyn;
using Tomlyn.Serialization;

namespace Sidecar.Tunnels.Frpc;

/// <summary>Source-generated TOML serialization for the frpc config: no reflection under Native AOT.</summary>
[TomlSerializable(typeof(FrpcConfig))]
[TomlSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = TomlIgnoreCondition.WhenWritingNull)]
internal sealed partial class FrpcTomlContext : TomlSerializerContext;
