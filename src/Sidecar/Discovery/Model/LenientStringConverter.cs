using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sidecar.Discovery.Model;

/// <summary>
/// Reads a string also from a number or boolean: a hand-written YAML file says <c>secretKey: 123456</c> or
/// <c>clientVersion: 0.61</c> without quotes, and those are still strings to us.
/// </summary>
internal sealed class LenientStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan),
            JsonTokenType.True => "true",
            JsonTokenType.False => "false",
            JsonTokenType.Null => null,
            _ => throw new JsonException($"expected a string, found {reader.TokenType}"),
        };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
