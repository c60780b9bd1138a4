using Sidecar.Discovery.Kubernetes;
using Sidecar.Hosting;
using Sidecar.Tests.Discovery.StandIn;

namespace Sidecar.Tests.Discovery;

/// <summary>Reading a kubeconfig into KubernetesClient's configuration, on files written the way kubectl writes them.</summary>
public sealed class KubeConfigLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sidecar-kubeconfig-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string yaml)
    {
        var path = Path.Combine(_dir, "config");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static string Config(string current, string clusterExtra = "") => $"""
        apiVersion: v1
        kind: Config
        preferences: {"{"}colors: true{"}"}
        clusters:
        - name: a
          cluster:
            server: https://10.0.0.1:6443
            insecure-skip-tls-verify: true
        - name: b
          cluster:
            server: https://127.0.0.1:6443
        {clusterExtra}
            extensions:
            - name: unknown-to-us
              extension: {"{"}anything: [1, 2]{"}"}
        users:
        - name: a
          user:
            token: token-of-a
        - name: b
          user:
            username: admin
            password: secret
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
        var a = KubeConfigLoader.Load(Write(Config("a")));
        Assert.Equal(("https://10.0.0.1:6443", "token-of-a", true), (a.Host, a.AccessToken, a.SkipTlsVerify));

        var b = KubeConfigLoader.Load(Write(Config("b")));
        Assert.Equal(("https://127.0.0.1:6443", "admin", "secret", false), (b.Host, b.Username, b.Password, b.SkipTlsVerify));
        Assert.Null(b.AccessToken);
    }

    [Fact]
    public void Load_RelativeCertificateAuthority_ResolvedAgainstKubeconfigDirectory()
    {
        using var certificates = new StandInCertificates();
        File.WriteAllText(Path.Combine(_dir, "ca.crt"), StandInCertificates.ToPem(certificates.Authority));
        Assert.NotEqual(_dir, Environment.CurrentDirectory);

        var config = KubeConfigLoader.Load(Write(Config("b", "    certificate-authority: ca.crt")));

        Assert.Equal(certificates.Authority.Thumbprint, Assert.Single(config.SslCaCerts!).Thumbprint);
    }

    [Fact]
    public void Load_PlainScalarsThatLookLikeNumbers_KeptAsText()
    {
        var config = KubeConfigLoader.Load(Write(Config("a").Replace("token: token-of-a", "token: 0123")));
        Assert.Equal("0123", config.AccessToken);
    }

    [Fact]
    public void Load_ExecPlugin_CommandArgumentsAndEnvironmentReachThePlugin()
    {
        // A stand-in credential plugin: prints an ExecCredential whose token echoes what it was given.
        var script = Path.Combine(_dir, "plugin.sh");
        File.WriteAllText(script, """
            #!/bin/sh
            printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s-%s-%s"}}' "$1" "$2" "$FROM_ENV"
            """);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var user = $"""
            exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: {script}
                  args: [first, 2]
                  env: [{"{"}name: FROM_ENV, value: 007{"}"}]
                  installHint: not needed
            """;

        var config = KubeConfigLoader.Load(Write(Config("a").Replace("token: token-of-a", user)));

        Assert.Equal("first-2-007", config.AccessToken);
    }

    [Theory]
    [InlineData("contexts: [just-a-name]\ncurrent-context: a\n", "not a mapping")]
    [InlineData("", "config")]
    [InlineData("current-context: nowhere\ncontexts: []\n", "nowhere")]
    [InlineData("clusters: [\n", "config")]
    public void Load_Unusable_StartupExceptionNamesTheFile(string yaml, string expected)
    {
        var e = Assert.Throws<StartupException>(() => KubeConfigLoader.Load(Write(yaml)));
        Assert.Contains(Path.Combine(_dir, "config"), e.Message);
        Assert.Contains(expected, e.Message);
    }
}
