using Sidecar.Addressing;

namespace Sidecar.Tests.Addressing;

public sealed class StableHashTests
{
    // Reference vectors of 64-bit FNV-1a (draft-eastlake-fnv test suite).
    [Theory]
    [InlineData("", 0xcbf29ce484222325UL)]
    [InlineData("a", 0xaf63dc4c8601ec8cUL)]
    [InlineData("foobar", 0x85944171f73967e8UL)]
    public void Fnv1a64_ReferenceVector_Matches(string input, ulong expected) =>
        Assert.Equal(expected, StableHash.Fnv1a64(input));

    [Fact]
    public void Fnv1a64_LongInput_SameAsShortPath()
    {
        var longName = new string('x', 300);
        Assert.Equal(StableHash.Fnv1a64(longName), StableHash.Fnv1a64(new string('x', 300)));
        Assert.NotEqual(StableHash.Fnv1a64(longName), StableHash.Fnv1a64(longName[..299]));
    }
}
