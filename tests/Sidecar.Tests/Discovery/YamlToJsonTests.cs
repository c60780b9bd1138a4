using System.Text;
using System.Text.Json.Nodes;
using Sidecar.Discovery.Files;

namespace Sidecar.Tests.Discovery;

public sealed class YamlToJsonTests
{
    private static JsonNode? Document(string yaml) => JsonNode.Parse(YamlToJson.Convert(Encoding.UTF8.GetBytes(yaml))[0].Span);

    private static JsonNode? Value(string yaml) => Document($"v: {yaml}")!["v"];

    [Theory]
    [InlineData("17000", "17000")]
    [InlineData("-5", "-5")]
    [InlineData("0x1F", "31")]
    [InlineData("1.5", "1.5")]
    [InlineData("true", "true")]
    [InlineData("False", "false")]
    public void Convert_PlainScalar_TypedByCoreSchema(string yaml, string json) =>
        Assert.Equal(json, Value(yaml)!.ToJsonString());

    [Theory]
    [InlineData("\"17000\"", "17000")]
    [InlineData("'true'", "true")]
    [InlineData("v1", "v1")]
    [InlineData("0s", "0s")]
    [InlineData("0.61.2", "0.61.2")]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("yes", "yes")]
    [InlineData("\"0000-05-04T23:10:04Z\"", "0000-05-04T23:10:04Z")]
    [InlineData("99999999999999999999999", "99999999999999999999999")]
    [InlineData("!!str 42", "42")]
    public void Convert_QuotedOrNonNumeric_StaysString(string yaml, string expected) =>
        Assert.Equal(expected, Value(yaml)!.GetValue<string>());

    [Theory]
    [InlineData("~")]
    [InlineData("null")]
    [InlineData("")]
    public void Convert_NullForms_Null(string yaml) => Assert.Null(Value(yaml));

    [Fact]
    public void Convert_NonScalarKey_ThrowsFormatException() =>
        Assert.Throws<FormatException>(() => YamlToJson.Convert(Encoding.UTF8.GetBytes("? [a, b]\n: 1\n")));

    [Fact]
    public void Convert_Aliases_Expanded()
    {
        var doc = Document("a: &x {p: 1}\nb: *x\nc: [&s 7, *s]\n*s : 8\nd: [1, &y [2, *x], *y]\n")!;
        Assert.Equal(1, doc["b"]!["p"]!.GetValue<long>());
        Assert.Equal("[7,7]", doc["c"]!.ToJsonString());
        Assert.Equal(8, doc["7"]!.GetValue<long>());
        Assert.Equal("[1,[2,{\"p\":1}],[2,{\"p\":1}]]", doc["d"]!.ToJsonString());
    }
}
