using Sidecar.Configuration;

namespace Sidecar.Tests.Configuration;

public sealed class ValueParsersTests
{
    [Theory]
    [InlineData("10", 10_000)]
    [InlineData("1.5", 1_500)]
    [InlineData("250ms", 250)]
    [InlineData("10s", 10_000)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1m30s", 90_000)]
    public void ParseDuration_GoStyle_Parses(string text, int milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), ValueParsers.ParseDuration(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("10x")]
    [InlineData("10s5")]
    [InlineData("ten")]
    public void ParseDuration_Garbage_Throws(string text)
    {
        Assert.Throws<FormatException>(() => ValueParsers.ParseDuration(text));
    }
}
