using FakeFrpc;

namespace Sidecar.Tests.Tunnels.Frpc;

/// <summary>The stand-in frpc must be as strict as frpc, or the product's TOML tests prove nothing.</summary>
public sealed class FakeConfigReaderTests
{
    private const string Valid = """
        serverAddr = "127.0.0.1"
        serverPort = 7000
        [webServer]
        port = 7400
        [[visitors]]
        name = "a"
        type = "stcp"
        serverName = "x"
        bindPort = 1000
        """;

    [Fact]
    public void Parse_Valid_ReadsVisitor() =>
        Assert.Equal(1000, Assert.Single(FakeConfigReader.Parse(Valid).Visitors).BindPort);

    [Theory]
    [InlineData("serverAddrr = \"x\"\n")]
    [InlineData("[webServer]\nport = 1\nhost = \"x\"\n")]
    [InlineData("[[visitors]]\nname = \"a\"\ntype = \"stcp\"\nbindPort = 1\nlocalPort = 2\n")]
    [InlineData("[[visitors]]\nname = \"a\"\ntype = \"stcp\"\nbindPort = 0\n")]
    [InlineData("[[visitors]]\nname = \"a\"\ntype = \"http\"\nbindPort = 1\n")]
    [InlineData("[[visitors]]\ntype = \"stcp\"\nbindPort = 1\n")]
    [InlineData("serverPort = \"7000\"\n")]
    [InlineData("serverAddr = \"unterminated\n")]
    public void Parse_UnknownKeyOrBadValue_Throws(string text) =>
        Assert.ThrowsAny<Exception>(() => FakeConfigReader.Parse(text));
}
