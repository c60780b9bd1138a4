using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sidecar.Discovery.Model;

/// <summary>
/// Reads a string also from a number or boolean: a hand-written YAML file says <c>secretKey: 123456</c> or
/// <c>clientVersion: 0.61</c> without quotes, and those are still strings to us. The rule is
/// <see cref="JsonRead.String"/>'s, shared with the hand-written converters.
/// </summary>
internal sealed class LenientStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => JsonRead.String(ref reader);

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
