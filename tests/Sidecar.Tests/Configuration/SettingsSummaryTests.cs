using System.Net;
using Sidecar.Configuration;

namespace Sidecar.Tests.Configuration;

public sealed class SettingsSummaryTests
{
    [Fact]
    public void Describe_WithToken_RedactsIt()
    {
        var settings = new Settings
        {
            MappedServices = [new MappedService("mysql.abc", null)],
            IpRange = IPNetwork.Parse("127.1.0.0/24"),
            FrpToken = "very-secret-token",
        };

        var line = SettingsSummary.Describe(settings);

        Assert.DoesNotContain("very-secret-token", line);
        Assert.Contains("frp-token=<redacted>", line);
        Assert.Contains("mapped-services=[mysql.abc]", line);
        Assert.Contains("dns-addr=127.0.0.2:53", line);
    }
}
