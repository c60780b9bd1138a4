using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sidecar.Discovery.Model;

/// <summary>Lets the serializer read an <see cref="FrpServer"/> (a test's JSON tree, a list) with <see cref="FrpServerReader"/>.</summary>
internal sealed class FrpServerConverter : JsonConverter<FrpServer>
{
    public override FrpServer? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => FrpServerReader.Read(ref reader);

    public override void Write(Utf8JsonWriter writer, FrpServer value, JsonSerializerOptions options) =>
        throw new NotSupportedException("read-only model");
}
