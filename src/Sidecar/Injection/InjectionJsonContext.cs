using System.Text.Json.Serialization;

namespace Sidecar.Injection;

/// <summary>Source-generated parsing of AdmissionReviews: no reflection under AOT. The depth bound keeps a
/// hostile, deeply nested body from costing more than a few frames.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, MaxDepth = 32)]
[JsonSerializable(typeof(AdmissionReview))]
internal sealed partial class InjectionJsonContext : JsonSerializerContext;
