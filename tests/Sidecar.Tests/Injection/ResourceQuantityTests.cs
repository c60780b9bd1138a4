using Sidecar.Injection;

namespace Sidecar.Tests.Injection;

public sealed class ResourceQuantityTests
{
    [Theory]
    [InlineData("10m", 0.01)]
    [InlineData("1", 1)]
    [InlineData("0.5", 0.5)]
    [InlineData("32Mi", 33554432)]
    [InlineData("1k", 1000)]
    [InlineData("1G", 1e9)]
    [InlineData("1E", 1e18)]
    [InlineData("1e3", 1000)]
    [InlineData("5E-1", 0.5)]
    public void Parse_KubernetesQuantity_BaseUnits(string text, double expected)
    {
        Assert.Equal((decimal)expected, ResourceQuantity.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Mi")]
    [InlineData("64MB")]
    [InlineData("1.2.3")]
    [InlineData("-1")]
    [InlineData("10 m")]
    [InlineData("1e99")]
    public void Parse_NotAQuantity_Throws(string text)
    {
        Assert.Throws<FormatException>(() => ResourceQuantity.Parse(text));
    }

    [Fact]
    public void Validated_RequestAboveLimit_ThrowsNamingBoth()
    {
        var e = Assert.Throws<FormatException>(() => new SidecarResources("10m", "128Mi", null, "64Mi").Validated());

        Assert.Contains("128Mi", e.Message, StringComparison.Ordinal);
        Assert.Contains("64Mi", e.Message, StringComparison.Ordinal);
    }
}
