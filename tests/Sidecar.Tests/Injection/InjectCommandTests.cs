using Sidecar.Configuration;
using Sidecar.Injection;

namespace Sidecar.Tests.Injection;

public sealed class InjectCommandTests
{
    private static string? NoEnvironment(string name) => null;

    [Fact]
    public async Task RunAsync_MissingCertificateFlag_ExitsBadSettings()
    {
        Assert.Equal(2, await InjectCommand.RunAsync(["--tls-key-file", "/x/tls.key"], NoEnvironment));
    }

    [Theory]
    [InlineData("--listen-addr", "nonsense:port")]
    [InlineData("--on-error", "maybe")]
    [InlineData("--cluster-dns", "kube-dns")]
    [InlineData("--mapped-services", "a.b")] // a sidecar flag, not the webhook's
    [InlineData("--port-53", "root")]
    [InlineData("--memory-limit", "64MB")]
    [InlineData("--memory-request", "128Mi")] // above the default limit of 64Mi: every Pod would be refused
    public async Task RunAsync_BadFlag_ExitsBadSettings(string flag, string value)
    {
        Assert.Equal(2, await InjectCommand.RunAsync(["--tls-cert-file", "c", "--tls-key-file", "k", flag, value], NoEnvironment));
    }

    [Fact]
    public async Task RunAsync_UnreadableCertificate_ExitsStartupFailed()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(1, await InjectCommand.RunAsync(
            ["--tls-cert-file", missing + "/tls.crt", "--tls-key-file", missing + "/tls.key"], NoEnvironment));
    }

    [Fact]
    public void Catalog_EveryWebhookSetting_HasInjectVariableFromItsFlag()
    {
        foreach (var setting in InjectSettingCatalog.All.Except([SettingCatalog.LogFormat, SettingCatalog.LogLevel]))
        {
            Assert.Equal("SIDECAR_INJECT_" + setting.Key.ToUpperInvariant().Replace('-', '_'), setting.Env);
        }
    }

    [Fact]
    public void Help_ListsEveryFlagAndVariable()
    {
        var help = InjectCommand.Help();

        foreach (var setting in InjectSettingCatalog.All)
        {
            Assert.Contains(setting.FlagText, help, StringComparison.Ordinal);
            Assert.Contains(setting.Env, help, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AnnotationSettings_NamingRule_FlagNamesUnderThePrefix()
    {
        Assert.Same(SettingCatalog.MappedServices, AnnotationSettings.ByAnnotation["sidecar.kubeinfra.io/mapped-services"]);
        Assert.Same(SettingCatalog.IpRange, AnnotationSettings.ByAnnotation["sidecar.kubeinfra.io/ip-range"]);
        Assert.Same(SettingCatalog.DnsMiss, AnnotationSettings.ByAnnotation["sidecar.kubeinfra.io/dns-miss"]);
        Assert.DoesNotContain("sidecar.kubeinfra.io/frp-token", AnnotationSettings.ByAnnotation.Keys);
    }
}
