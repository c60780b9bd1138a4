using System.Net;
using Sidecar.Configuration;

namespace Sidecar.Tests.Configuration;

public sealed class ResolvConfTests
{
    [Fact]
    public void Parse_LastSearchOrDomainLineWins()
    {
        var conf = ResolvConf.Parse("domain old.example\n# comment\nsearch a.example b.example.\nnameserver fe80::1%eth0\nnameserver 10.0.0.10\n");

        Assert.Equal(["a.example", "b.example"], conf.Search);
        Assert.Equal([IPAddress.Parse("fe80::1"), IPAddress.Parse("10.0.0.10")], conf.Nameservers);
    }

    [Fact]
    public void Load_MissingFile_IsEmpty()
    {
        Assert.Same(ResolvConf.Empty, ResolvConf.Load("/nonexistent/resolv.conf"));
    }
}
