using System.Text.Json.Serialization;

namespace Sidecar.Admin;

/// <summary>Source-generated JSON for the admin endpoint: no reflection under AOT.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(IReadOnlyList<MappingView>))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
