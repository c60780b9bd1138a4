using System.Text.Json.Serialization;

namespace Sidecar.Discovery.Model;

/// <summary>Source-generated JSON metadata for everything we read from the API or a file: no reflection under AOT.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    Converters = [typeof(LenientStringConverter)])]
[JsonSerializable(typeof(FrpServer))]
[JsonSerializable(typeof(FrpServerList))]
[JsonSerializable(typeof(ActiveConnection))]
[JsonSerializable(typeof(WatchEvent))]
[JsonSerializable(typeof(RawWatchEvent))]
[JsonSerializable(typeof(KubeStatus))]
internal sealed partial class FrpJsonContext : JsonSerializerContext;
