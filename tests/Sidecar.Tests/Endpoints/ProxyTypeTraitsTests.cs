using Sidecar.Endpoints;

namespace Sidecar.Tests.Endpoints;

public sealed class ProxyTypeTraitsTests
{
    [Fact]
    public void Of_EveryProxyType_HasItsOwnRow()
    {
        foreach (var type in Enum.GetValues<ProxyType>())
        {
            var row = ProxyTypeTraits.Of(type);
            Assert.Equal(type, row.Type);
            Assert.Equal(type.ToString().ToLowerInvariant(), row.Name);
        }
    }

    [Theory]
    [InlineData("tcp", "Tcp")]
    [InlineData("SUDP", "Sudp")]
    [InlineData("Xtcp", "Xtcp")]
    [InlineData("tcpmux", "Tcpmux")]
    public void TryParse_FrpName_AnyCase(string text, string expected)
    {
        Assert.True(ProxyTypeTraits.TryParse(text, out var type));
        Assert.Equal(expected, type.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("tcp,udp")]
    [InlineData(" tcp")]
    [InlineData("carrier-pigeon")]
    public void TryParse_NotAnFrpName_False(string? text) => Assert.False(ProxyTypeTraits.TryParse(text, out _));

    [Fact]
    public void Rows_ForwardersNeedRemotePortAndFallbackIsAVisitor()
    {
        Assert.True(ProxyTypeTraits.Of(ProxyType.Udp) is { NeedsRemotePort: true, IsUdp: true, Tunnel: TunnelKind.Forwarder });
        Assert.True(ProxyTypeTraits.Of(ProxyType.Sudp) is { NeedsRemotePort: false, IsUdp: true, NativeVisitor: true });
        Assert.Equal(ProxyType.Stcp, ProxyTypeTraits.Of(ProxyType.Xtcp).Fallback);
        Assert.Equal(TunnelKind.Visitor, ProxyTypeTraits.Of(ProxyType.Stcp).Tunnel);
        Assert.Equal("tcp, udp, stcp, sudp or xtcp", ProxyTypeTraits.Supported);
    }
}
