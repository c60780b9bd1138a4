using System.Text;
using Sidecar.Configuration;

namespace Sidecar.Tests.Configuration;

/// <summary>
/// The settings tables in README.md and docs/operations.md are rendered from <see cref="SettingCatalog"/>:
/// a changed default, flag or help line fails here with the table to paste.
/// </summary>
public sealed class SettingsTableTests
{
    private const string Header = "| Flag | Environment | Default | Meaning |\n|---|---|---|---|\n";

    [Theory]
    [InlineData("README.md")]
    [InlineData("docs/operations.md")]
    public void Docs_SettingsTable_IsRenderedFromTheCatalog(string document)
    {
        var text = File.ReadAllText(Path.Combine(Support.RepositoryRoot.Path, document)).ReplaceLineEndings("\n");
        var start = text.IndexOf(Header, StringComparison.Ordinal);
        Assert.True(start >= 0, $"{document} has no settings table starting with: {Header}");
        var end = text.IndexOf("\n\n", start, StringComparison.Ordinal);
        var table = text[start..(end < 0 ? text.Length : end + 1)];

        var expected = Render();
        Assert.True(expected == table, $"{document}: the settings table differs from the catalog; paste this:\n{expected}");
    }

    [Fact]
    public void Describe_NamesEverySetting()
    {
        var line = SettingsSummary.Describe(new Settings
        {
            MappedServices = [],
            IpRange = System.Net.IPNetwork.Parse("127.1.0.0/24"),
        });

        // The token file is read into frp-token, which the line shows redacted.
        foreach (var setting in SettingCatalog.All.Where(s => s != SettingCatalog.FrpTokenFile))
        {
            Assert.Contains(setting.Key + "=", line);
        }
    }

    private static string Render()
    {
        var table = new StringBuilder(Header);
        foreach (var setting in SettingCatalog.All)
        {
            var flag = setting.Flag is null ? setting.FlagText : $"`{setting.FlagText}`";
            var env = setting.FallbackEnv is { } fallback ? $"`{setting.Env}`, `{fallback}`" : $"`{setting.Env}`";
            var value = setting.DefaultIsValue ? $"`{setting.DefaultText}`" : setting.DefaultText;
            table.Append($"| {flag} | {env} | {value} | {setting.Help} |\n");
        }
        return table.ToString();
    }
}
