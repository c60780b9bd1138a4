using Sidecar.Configuration;

namespace Sidecar.Tests.Configuration;

public sealed class CommandLineTests
{
    [Fact]
    public void Parse_UnknownFlag_NamesIt()
    {
        var error = Assert.Throws<SettingsException>(() => CommandLine.Parse(["--ip-rang", "x"]));

        Assert.Contains("'--ip-rang'", error.Message);
    }

    [Fact]
    public void Parse_PositionalArgument_IsRejected()
    {
        Assert.Throws<SettingsException>(() => CommandLine.Parse(["mysql.abc"]));
    }

    [Fact]
    public void Parse_FlagWithoutValue_SaysItNeedsOne()
    {
        var error = Assert.Throws<SettingsException>(() => CommandLine.Parse(["--ip-range"]));

        Assert.Contains("needs a value", error.Message);
    }

    [Fact]
    public void Parse_SecretHasNoFlag_SoItNeverShowsInPs()
    {
        Assert.Throws<SettingsException>(() => CommandLine.Parse(["--frp-token", "s3cret"]));
    }

    [Theory]
    [InlineData(new[] { "--dns-wait-for-tunnel" }, "true")]
    [InlineData(new[] { "--dns-wait-for-tunnel", "false" }, "false")]
    [InlineData(new[] { "--dns-wait-for-tunnel=0" }, "0")]
    [InlineData(new[] { "--dns-wait-for-tunnel", "--log-level", "info" }, "true")]
    public void Parse_Switch_StandsAloneOrTakesABool(string[] args, string expected)
    {
        var commandLine = CommandLine.Parse(args);

        Assert.True(commandLine.TryGet(SettingCatalog.DnsWaitForTunnel, out var value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void Parse_HelpAndVersion_AreRecognised()
    {
        Assert.True(CommandLine.Parse(["--help"]).ShowHelp);
        Assert.True(CommandLine.Parse(["-h"]).ShowHelp);
        Assert.True(CommandLine.Parse(["--version"]).ShowVersion);
    }
}
