using System.Net;
using Microsoft.Extensions.Logging;
using Sidecar.Configuration;
using Sidecar.Dns.Serving;

namespace Sidecar.Tests.Configuration;

public sealed class SettingsLoaderTests
{
    private static readonly ResolvConf PodResolvConf = ResolvConf.Parse(
        "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\nnameserver 127.0.0.2\noptions ndots:5\n");

    private static Settings Load(string[] args, Dictionary<string, string>? env = null, ResolvConf? resolv = null) =>
        SettingsLoader.Load(CommandLine.Parse(args), name => env?.GetValueOrDefault(name), resolv ?? ResolvConf.Empty);

    private static string LoadError(string[] args, Dictionary<string, string>? env = null) =>
        Assert.Throws<SettingsException>(() => Load(args, env)).Message;

    [Fact]
    public void Load_OnlyIpRange_UsesOriginalDefaults()
    {
        var settings = Load(["--ip-range", "127.1.0.0/24"]);

        Assert.Equal(IPNetwork.Parse("127.1.0.0/24"), settings.IpRange);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 53), settings.DnsAddr);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.DnsTtl);
        Assert.Equal(DiscoveryMode.Watch, settings.Discovery);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.PollInterval);
        Assert.Equal(TimeSpan.FromHours(1), settings.RelistPeriod);
        Assert.Null(settings.FrpServerSelector);
        Assert.Empty(settings.FrpServers);
        Assert.Empty(settings.Warnings);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.ShutdownGrace);
        Assert.Equal(DnsMissPolicy.NxDomain, settings.DnsMiss);
        Assert.Equal(SourceKind.Kubernetes, settings.Source.Kind);
        Assert.True(settings.DnsWaitForTunnel);
        Assert.Empty(settings.MappedServices);
        Assert.Equal(100, settings.MaxServices);
        Assert.Equal(LogLevel.Information, settings.LogLevel);
    }

    [Fact]
    public void Load_SystemdStateDirectory_IsTheStateDir()
    {
        var settings = Load(["--ip-range", "127.1.0.0/24"], new() { ["STATE_DIRECTORY"] = "/var/lib/sidecar", ["RUNTIME_DIRECTORY"] = "/run/x" });

        Assert.Equal("/var/lib/sidecar", settings.StateDir);
    }

    [Fact]
    public void Load_SystemdRuntimeDirectoryList_FirstEntryIsTheStateDir()
    {
        var settings = Load(["--ip-range", "127.1.0.0/24"], new() { ["RUNTIME_DIRECTORY"] = "/run/sidecar-a:/run/sidecar-b" });

        Assert.Equal("/run/sidecar-a", settings.StateDir);
    }

    [Fact]
    public void Load_ExplicitStateDir_WinsOverSystemd()
    {
        var settings = Load(["--ip-range", "127.1.0.0/24", "--state-dir", "/srv/state"], new() { ["STATE_DIRECTORY"] = "/var/lib/sidecar" });

        Assert.Equal("/srv/state", settings.StateDir);
    }

    [Fact]
    public void Load_NoStateDirSetAnywhere_NoPredictableSharedDefault()
    {
        var settings = Load(["--ip-range", "127.1.0.0/24"], new() { ["XDG_RUNTIME_DIR"] = "/run/user/1000" });

        Assert.NotEqual("/tmp/sidecar", settings.StateDir);
        Assert.Equal(Environment.IsPrivilegedProcess ? "/run/sidecar" : "/run/user/1000/sidecar", settings.StateDir);
    }

    [Theory]
    [InlineData("/run/user/1000", "/run/user/1000/sidecar")]
    [InlineData("relative/dir", null)]
    [InlineData(null, null)]
    public void StateDirDefault_NotRoot_XdgRuntimeDirElseNoneForAPrivateOne(string? xdg, string? expected)
    {
        var env = new Dictionary<string, string?> { ["XDG_RUNTIME_DIR"] = xdg };

        Assert.Equal(expected, StateDirDefault.Choose(env.GetValueOrDefault, isRoot: false));
    }

    [Fact]
    public void StateDirDefault_Root_RunSidecarUnlessSystemdSaysOtherwise()
    {
        Assert.Equal("/run/sidecar", StateDirDefault.Choose(_ => null, isRoot: true));
        Assert.Equal("/run/a", StateDirDefault.Choose(n => n == "RUNTIME_DIRECTORY" ? "/run/a:/run/b" : null, isRoot: true));
    }

    [Fact]
    public void Load_FlagAndEnv_FlagWins()
    {
        var env = new Dictionary<string, string> { ["SIDECAR_IP_RANGE"] = "127.2.0.0/16", ["SIDECAR_DNS_ADDR"] = "127.0.0.3:5353" };

        var settings = Load(["--ip-range=127.1.0.0/24"], env);

        Assert.Equal(IPNetwork.Parse("127.1.0.0/24"), settings.IpRange);
        Assert.Equal(5353, settings.DnsAddr.Port);
    }

    [Fact]
    public void Load_MappedServices_TrimsLowercasesAndRemovesDuplicates()
    {
        var settings = Load(["--ip-range", "127.1.0.0/24", "--mapped-services", " mysql.abc , MySQL.ABC,redis:6380,, web.x "]);

        Assert.Equal(
            [new MappedService("mysql.abc", null), new MappedService("redis", 6380), new MappedService("web.x", null)],
            settings.MappedServices);
    }

    [Theory]
    [InlineData("a..b")]
    [InlineData("-bad.name")]
    [InlineData("name:0")]
    [InlineData("name:65536")]
    [InlineData("name:abc")]
    [InlineData("spa ce")]
    public void Load_BadMappedService_NamesFlagAndValue(string value)
    {
        var message = LoadError(["--ip-range", "127.1.0.0/24", "--mapped-services", value]);

        Assert.Contains("--mapped-services", message);
        Assert.Contains(value, message);
    }

    [Fact]
    public void Load_SameServiceWithTwoPorts_IsAnError()
    {
        Assert.Contains("different ports", LoadError(["--ip-range", "127.1.0.0/24", "--mapped-services", "a:1,a:2"]));
    }

    [Fact]
    public void Load_MoreThanMaxServices_FailsUnlessRaised()
    {
        var names = string.Join(',', Enumerable.Range(0, 101).Select(i => $"svc{i}"));

        Assert.Contains("limit of 100", LoadError(["--ip-range", "127.1.0.0/24", "--mapped-services", names]));
        Assert.Equal(101, Load(["--ip-range", "127.1.0.0/24", "--mapped-services", names, "--max-services", "200"]).MappedServices.Count);
    }

    [Fact]
    public void Load_SwitchWithBadValue_NamesTheFlag()
    {
        Assert.StartsWith("invalid value 'maybe' for --dns-wait-for-tunnel", LoadError(["--ip-range", "127.1.0.0/24", "--dns-wait-for-tunnel=maybe"]));
    }

    [Fact]
    public void Load_MissingIpRange_SaysItIsRequired()
    {
        var message = LoadError([]);

        Assert.Contains("--ip-range", message);
        Assert.Contains("SIDECAR_IP_RANGE", message);
        Assert.Contains("required", message);
    }

    [Theory]
    [InlineData("127.1.0.0/33")]
    [InlineData("127.1.0.0")]
    [InlineData("not-a-cidr/8")]
    public void Load_BadIpRangeFromEnv_NamesTheVariable(string value)
    {
        var message = LoadError([], new() { ["SIDECAR_IP_RANGE"] = value });

        Assert.StartsWith($"invalid value '{value}' for SIDECAR_IP_RANGE", message);
    }

    [Fact]
    public void Load_IpRangeWithHostBits_SuggestsTheNetwork()
    {
        Assert.Contains("did you mean 127.1.0.0/24", LoadError(["--ip-range", "127.1.0.9/24"]));
    }

    [Theory]
    [InlineData("0.0.0.0:53")]
    [InlineData("[::]:53")]
    public void Load_WildcardDnsAddr_IsRefused(string value)
    {
        Assert.Contains("wildcard", LoadError(["--ip-range", "127.1.0.0/24", "--dns-addr", value]));
    }

    [Theory]
    [InlineData("[::1]:5353", "::1", 5353)]
    [InlineData("127.0.0.9:1053", "127.0.0.9", 1053)]
    [InlineData("127.0.0.9", "127.0.0.9", 53)]
    public void Load_DnsAddr_AcceptsIpv4AndIpv6(string value, string address, int port)
    {
        var settings = Load(["--ip-range", "127.1.0.0/24", "--dns-addr", value]);

        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), settings.DnsAddr);
    }

    [Fact]
    public void Load_NoUpstreamOrSearch_TakesResolvConfWithoutOurOwnAddress()
    {
        var settings = Load(["--ip-range", "127.1.0.0/24"], resolv: PodResolvConf);

        Assert.Equal([new IPEndPoint(IPAddress.Parse("10.96.0.10"), 53)], settings.DnsUpstream);
        Assert.Equal(["default.svc.cluster.local", "svc.cluster.local", "cluster.local"], settings.DnsSearch);
    }

    [Theory]
    [InlineData("--dns-ttl", "5x")]
    [InlineData("--dns-ttl", "-1s")]
    [InlineData("--relist-period", "10s")]
    [InlineData("--discovery", "stream")]
    [InlineData("--poll-interval", "0s")]
    [InlineData("--frpservers", "Upper_Case")]
    [InlineData("--frpserver-selector", "team=a;drop")]
    [InlineData("--dns-miss", "drop")]
    [InlineData("--log-format", "xml")]
    [InlineData("--log-level", "loud")]
    [InlineData("--dns-upstream", "dns.google")]
    [InlineData("--source", "etcd")]
    [InlineData("--admin-addr", "localhost:80")]
    [InlineData("--tunnel-engine", "frps")]
    public void Load_BadValue_NamesFlagValueAndExpectation(string flag, string value)
    {
        var message = LoadError(["--ip-range", "127.1.0.0/24", flag, value]);

        Assert.StartsWith($"invalid value '{value}' for {flag}: expected ", message);
    }

    [Theory]
    [InlineData(null, "Native")]
    [InlineData("native", "Native")]
    [InlineData("FRPC", "Frpc")]
    public void Load_TunnelEngine_DefaultsToNativeFrpcSelectable(string? value, string expected)
    {
        string[] args = value is null ? ["--ip-range", "127.1.0.0/24"] : ["--ip-range", "127.1.0.0/24", "--tunnel-engine", value];
        Assert.Equal(Enum.Parse<TunnelEngine>(expected), Load(args).TunnelEngine);
    }

    [Fact]
    public void Load_DurationsAndPolicies_AreParsed()
    {
        var settings = Load([
            "--ip-range", "127.1.0.0/24", "--dns-ttl", "1m30s", "--poll-interval", "500ms", "--dns-miss", "FORWARD",
            "--dns-upstream", "10.0.0.1,[fd00::1]:5353", "--source", "file:/etc/frp.yaml", "--admin-addr", "",
            "--dns-wait-for-tunnel", "false", "--log-format", "json", "--log-level", "debug",
        ]);

        Assert.Equal(TimeSpan.FromSeconds(90), settings.DnsTtl);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.PollInterval);
        Assert.Equal(DnsMissPolicy.Forward, settings.DnsMiss);
        Assert.Equal([new IPEndPoint(IPAddress.Parse("10.0.0.1"), 53), new IPEndPoint(IPAddress.Parse("fd00::1"), 5353)], settings.DnsUpstream);
        Assert.Equal(new SourceSpec(SourceKind.File, "/etc/frp.yaml"), settings.Source);
        Assert.Null(settings.AdminAddr);
        Assert.False(settings.DnsWaitForTunnel);
        Assert.Equal(LogFormat.Json, settings.LogFormat);
        Assert.Equal(LogLevel.Debug, settings.LogLevel);
    }

    [Fact]
    public void Load_TokenFromFile_BeatsEnvironment()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "from-file\n");
            var env = new Dictionary<string, string> { ["SIDECAR_FRP_TOKEN"] = "from-env" };

            Assert.Equal("from-file", Load(["--ip-range", "127.1.0.0/24", "--frp-token-file", path], env).FrpToken);
            Assert.Equal("from-env", Load(["--ip-range", "127.1.0.0/24"], env).FrpToken);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_UnreadableTokenFile_NamesTheFlag()
    {
        Assert.Contains("--frp-token-file", LoadError(["--ip-range", "127.1.0.0/24", "--frp-token-file", "/nonexistent/token"]));
    }

    [Theory]
    [InlineData("--frps-tls-ca-file", "/nonexistent/ca.pem")]
    [InlineData("--frps-tls-server-name", "bad name!")]
    [InlineData("--visitor-use-encryption", "maybe")]
    [InlineData("--visitor-use-compression", "2")]
    public void Load_BadNativeSessionSetting_NamesTheFlag(string flag, string value)
    {
        Assert.Contains(flag, LoadError(["--ip-range", "127.1.0.0/24", $"{flag}={value}"]));
    }

    [Fact]
    public void Load_CaFileWithoutCertificate_NamesTheFlag()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not a certificate\n");
            var error = LoadError(["--ip-range", "127.1.0.0/24", "--frps-tls-ca-file", path]);
            Assert.Contains("--frps-tls-ca-file", error);
            Assert.Contains("no PEM certificate", error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_NativeSessionSettings_DefaultsAsFrpcAndValuesFromEnvironment()
    {
        var defaults = Load(["--ip-range", "127.1.0.0/24"]);
        Assert.Equal((null, null, false, false), (defaults.FrpsTlsCaFile, defaults.FrpsTlsServerName, defaults.VisitorUseEncryption, defaults.VisitorUseCompression));

        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, Tunnels.Native.StandIn.StandInFrps.CertificatePem);
            var set = Load(["--ip-range", "127.1.0.0/24", "--visitor-use-encryption"], new()
            {
                ["SIDECAR_FRPS_TLS_CA_FILE"] = path,
                ["SIDECAR_FRPS_TLS_SERVER_NAME"] = "frps.example.org",
                ["SIDECAR_VISITOR_USE_COMPRESSION"] = "true",
            });
            Assert.Equal((path, "frps.example.org", true, true), (set.FrpsTlsCaFile, set.FrpsTlsServerName, set.VisitorUseEncryption, set.VisitorUseCompression));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_KubeconfigFromConventionalVariable_IsUsed()
    {
        var settings = Load(["--ip-range", "127.1.0.0/24"], new() { ["KUBECONFIG"] = "/home/u/.kube/config" });

        Assert.Equal("/home/u/.kube/config", settings.Kubeconfig);
    }

    [Fact]
    public void Load_DeprecatedResyncPeriod_WarnsAndBecomesRelistAtItsFloor()
    {
        var settings = Load(["--ip-range", "127.1.0.0/24", "--resync-period", "10s"]);

        Assert.Equal(TimeSpan.FromMinutes(30), settings.RelistPeriod);
        var warning = Assert.Single(settings.Warnings);
        Assert.Contains("--resync-period is deprecated", warning);
        Assert.Contains("--relist-period=30m", warning);
    }

    [Fact]
    public void Load_ResyncPeriodAndRelistPeriod_RelistPeriodWins()
    {
        var settings = Load(["--ip-range", "127.1.0.0/24", "--resync-period", "2h", "--relist-period", "0"]);

        Assert.Equal(TimeSpan.Zero, settings.RelistPeriod);
        Assert.Single(settings.Warnings);
    }

    [Fact]
    public void Load_PollAndNarrowing_AreParsed()
    {
        var env = new Dictionary<string, string> { ["SIDECAR_DISCOVERY"] = "poll", ["SIDECAR_FRPSERVER_SELECTOR"] = "team in (a,b),!legacy" };
        var settings = Load(["--ip-range", "127.1.0.0/24", "--poll-interval", "30s", "--frpservers", "frps-a, frps-b,frps-a"], env);

        Assert.Equal(DiscoveryMode.Poll, settings.Discovery);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.PollInterval);
        Assert.Equal("team in (a,b),!legacy", settings.FrpServerSelector);
        Assert.Equal(["frps-a", "frps-b"], settings.FrpServers);
    }
}
