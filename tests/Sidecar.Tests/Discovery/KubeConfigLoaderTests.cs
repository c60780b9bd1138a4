using System.Text;
using Microsoft.Extensions.Time.Testing;
using Sidecar.Discovery.Kubernetes;
using Sidecar.Hosting;
using Sidecar.Tests.Discovery.StandIn;

namespace Sidecar.Tests.Discovery;

/// <summary>Our kubeconfig and in-cluster reader, on files written the way kubectl and the kubelet write them.</summary>
public sealed class KubeConfigLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sidecar-kubeconfig-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string yaml, string name = "config")
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    private KubeConnection Load(string path) => KubeConfigLoader.Load(path, _time, Path.Combine(_dir, "no-service-account"), _ => null);

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Config(string user, string server = "https://127.0.0.1:6443", string cluster = "", string current = "b") => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: a
          cluster:
            server: https://10.0.0.1:6443
            insecure-skip-tls-verify: true
        - name: b
          cluster:
            server: {server}
        {cluster}
        users:
        - name: a
          user:
            token: token-of-a
        - name: b
          user:
        {user}
        contexts:
        - name: a
          context: {"{"}cluster: a, user: a{"}"}
        - name: b
          context: {"{"}cluster: b, user: b, namespace: x{"}"}
        current-context: {current}
        """;

    [Fact]
    public void Load_SeveralContexts_UsesCurrentContextsClusterAndUser()
    {
        var connection = Load(Write(Config("    token: token-of-b")));
        Assert.Equal("https://127.0.0.1:6443", connection.Host);
        Assert.Equal("token-of-b", connection.AccessToken);
        Assert.False(connection.SkipTlsVerify);

        var other = Load(Write(Config("    token: token-of-b", current: "A"), "other"));
        Assert.Equal("https://10.0.0.1:6443", other.Host);
        Assert.Equal("token-of-a", other.AccessToken);
        Assert.True(other.SkipTlsVerify);
    }

    [Fact]
    public void Load_PlainNumericToken_KeptAsText()
    {
        Assert.Equal("0123", Load(Write(Config("    token: 0123"))).AccessToken);
    }

    [Fact]
    public void Load_UsernameAndPassword_Basic()
    {
        var connection = Load(Write(Config("    username: admin\n    password: secret")));
        Assert.Equal(("admin", "secret"), (connection.Username, connection.Password));
        Assert.Null(connection.AccessToken);
    }

    [Fact]
    public void Load_RelativeFiles_ResolvedAgainstKubeconfigDirectory()
    {
        using var certificates = new StandInCertificates();
        File.WriteAllText(Path.Combine(_dir, "ca.crt"), StandInCertificates.ToPem(certificates.Authority));
        var connection = Load(Write(Config("    client-certificate: client.crt\n    client-key: keys/client.key",
            cluster: "    certificate-authority: ca.crt\n    tls-server-name: api.internal")));
        Assert.Equal(certificates.Authority.Thumbprint, Assert.Single(connection.SslCaCerts!).Thumbprint);
        Assert.Equal(Path.Combine(_dir, "client.crt"), connection.ClientCertificateFilePath);
        Assert.Equal(Path.Combine(_dir, "keys/client.key"), connection.ClientKeyFilePath);
        Assert.Equal("api.internal", connection.TlsServerName);
    }

    [Fact]
    public void Load_CaDataBundle_TrustsEveryCertificate()
    {
        using var one = new StandInCertificates("one");
        using var two = new StandInCertificates("two");
        var bundle = StandInCertificates.ToPem(one.Authority) + "\n" + StandInCertificates.ToPem(two.Authority);
        var connection = Load(Write(Config("    token: t", cluster: $"    certificate-authority-data: {B64(bundle)}")));
        Assert.Equal(2, connection.SslCaCerts!.Count);
    }

    [Fact]
    public void Load_ServerOnAnyAddress_ReachedOnLoopback()
    {
        Assert.Equal("https://127.0.0.1:6443/", Load(Write(Config("    token: t", server: "https://0.0.0.0:6443"))).Host);
    }

    [Theory]
    [InlineData("    token: t", "nowhere", "contexts has no entry named nowhere")]
    [InlineData("    {}", "b", "user b has no credentials")]
    [InlineData("    auth-provider: {name: gcp, config: {access-token: x}}", "b", "gke-gcloud-auth-plugin")]
    [InlineData("    exec: {command: /bin/true}", "b", "exec needs both command and apiVersion")]
    public void Load_Unusable_StartupExceptionSaysWhy(string user, string current, string expected)
    {
        var e = Assert.Throws<StartupException>(() => Load(Write(Config(user, current: current))));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Load_NoCurrentContext_StartupException()
    {
        var e = Assert.Throws<StartupException>(() => Load(Write("apiVersion: v1\nkind: Config\nclusters: []\n")));
        Assert.Contains("current-context", e.Message);
    }

    [Fact]
    public async Task Load_TokenFile_ReReadAfterAMinute()
    {
        var token = Path.Combine(_dir, "token");
        File.WriteAllText(token, "first\n");
        var connection = Load(Write(Config("    tokenFile: token")));
        Assert.Equal("first", (await connection.TokenProvider!.GetAuthenticationHeaderAsync(default)).Parameter);
        File.WriteAllText(token, "second");
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal("first", (await connection.TokenProvider.GetAuthenticationHeaderAsync(default)).Parameter);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("second", (await connection.TokenProvider.GetAuthenticationHeaderAsync(default)).Parameter);
    }

    /// <summary>A stand-in credential plugin: prints an ExecCredential whose token counts its runs.</summary>
    private string Plugin(string apiVersion, string expires, int exitCode = 0)
    {
        var script = Path.Combine(_dir, "plugin.sh");
        var tail = expires + "}}";
        File.WriteAllText(script, $$"""
            #!/bin/sh
            n=$(cat "$0.runs" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$0.runs"
            info=$(printf '%s' "$KUBERNETES_EXEC_INFO" | tr -d '"{} ')
            printf '{"apiVersion":"{{apiVersion}}","kind":"ExecCredential","status":{"token":"%s-%s-%s-%s"{{tail}}' "$n" "$FROM_ENV" "$1" "$info"
            exit {{exitCode}}
            """);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return script;
    }

    private string ExecUser(string script) => $"""
            exec:
              apiVersion: client.authentication.k8s.io/v1
              command: {script}
              args: [arg one]
              env: [{"{"}name: FROM_ENV, value: env{"}"}]
        """;

    [Fact]
    public async Task Load_ExecPlugin_TokenRenewedBeforeItExpires()
    {
        var script = Plugin("client.authentication.k8s.io/v1", ",\"expirationTimestamp\":\"2026-01-01T00:05:00Z\"");
        var connection = Load(Write(Config(ExecUser(script))));
        const string info = "apiVersion:client.authentication.k8s.io/v1,kind:ExecCredential,spec:interactive:false";
        Assert.Equal($"1-env-arg one-{info}", (await connection.TokenProvider!.GetAuthenticationHeaderAsync(default)).Parameter);
        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.StartsWith("1-", (await connection.TokenProvider.GetAuthenticationHeaderAsync(default)).Parameter);
        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.StartsWith("2-", (await connection.TokenProvider.GetAuthenticationHeaderAsync(default)).Parameter);
    }

    [Theory]
    [InlineData("client.authentication.k8s.io/v1beta1", 0, "answered apiVersion client.authentication.k8s.io/v1beta1")]
    [InlineData("client.authentication.k8s.io/v1", 3, "exited with code 3")]
    public void Load_ExecPluginFails_StartupException(string answered, int exitCode, string expected)
    {
        var e = Assert.Throws<StartupException>(() => Load(Write(Config(ExecUser(Plugin(answered, "", exitCode))))));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public async Task Load_InCluster_ServiceAccountTokenRotates()
    {
        var account = Directory.CreateDirectory(Path.Combine(_dir, "serviceaccount")).FullName;
        using var certificates = new StandInCertificates();
        File.WriteAllText(Path.Combine(account, "ca.crt"), StandInCertificates.ToPem(certificates.Authority));
        File.WriteAllText(Path.Combine(account, "token"), "projected-1");
        var environment = new Dictionary<string, string?> { ["KUBERNETES_SERVICE_HOST"] = "fd00::1", ["KUBERNETES_SERVICE_PORT"] = "443" };
        var connection = KubeConfigLoader.Load(null, _time, account, name => environment.GetValueOrDefault(name));
        Assert.Equal("https://[fd00::1]:443/", connection.Host);
        Assert.Single(connection.SslCaCerts!);
        Assert.Equal("projected-1", (await connection.TokenProvider!.GetAuthenticationHeaderAsync(default)).Parameter);
        File.WriteAllText(Path.Combine(account, "token"), "projected-2");
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("projected-2", (await connection.TokenProvider.GetAuthenticationHeaderAsync(default)).Parameter);

        environment.Remove("KUBERNETES_SERVICE_HOST");
        var e = Assert.Throws<StartupException>(() => KubeConfigLoader.Load(null, _time, account, name => environment.GetValueOrDefault(name)));
        Assert.Contains("not running in a cluster", e.Message);
    }
}
