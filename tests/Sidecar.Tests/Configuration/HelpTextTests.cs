using Sidecar.Configuration;

namespace Sidecar.Tests.Configuration;

public sealed class HelpTextTests
{
    [Fact]
    public void Build_ListsEverySettingWithEnvAndDefault()
    {
        var help = HelpText.Build("1.2.3");

        foreach (var setting in SettingCatalog.All)
        {
            Assert.Contains(setting.FlagText, help);
            Assert.Contains("env " + setting.Env, help);
            Assert.Contains("default " + setting.DefaultText, help);
        }
    }

    [Fact]
    public void Catalog_EnvNames_AreSidecarUpperSnakeCaseOfTheFlag()
    {
        foreach (var setting in SettingCatalog.All)
        {
            Assert.Equal("SIDECAR_" + setting.Key.ToUpperInvariant().Replace('-', '_'), setting.Env);
        }
    }
}
