using System.Net;
using Sidecar.Dns.Serving;
using Sidecar.Tests.Support;

namespace Sidecar.Tests.Dns.Serving;

/// <summary>Real resolvers from Debian as peers: dig over UDP and TCP, with and without EDNS, and glibc's getaddrinfo.</summary>
public sealed class RealClientTests
{
    private static async Task<string> DigAsync(DnsServerHarness harness, params string[] options)
    {
        string[] arguments = [$"@{harness.EndPoint.Address}", "-p", harness.EndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "+tries=3", "+time=5", .. options];
        var (exitCode, output) = await ProcessRunner.RunAsync(ExternalTool.Require("dig", "dnsutils"), arguments);
        Assert.True(exitCode == 0, output);
        return output;
    }

    [SkippableFact]
    public async Task Dig_UdpWithEdns_AnswerAndOurOpt()
    {
        await using var harness = await DnsServerHarness.StartAsync();

        var output = await DigAsync(harness, "name0.svc.test", "A");

        Assert.Contains("status: NOERROR", output, StringComparison.Ordinal);
        Assert.Contains("flags: qr aa rd;", output, StringComparison.Ordinal);
        Assert.Matches(@"name0\.svc\.test\.\s+5\s+IN\s+A\s+127\.77\.0\.10", output);
        Assert.Contains("udp: 1232", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Dig_UdpNoEdns_AnswerWithoutOpt()
    {
        await using var harness = await DnsServerHarness.StartAsync();

        var output = await DigAsync(harness, "+noedns", "name0.svc.test", "A");

        Assert.Matches(@"name0\.svc\.test\.\s+5\s+IN\s+A\s+127\.77\.0\.10", output);
        Assert.DoesNotContain("OPT PSEUDOSECTION", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Dig_Tcp_AnswerAndNoDataWithSoa()
    {
        await using var harness = await DnsServerHarness.StartAsync();

        var answer = await DigAsync(harness, "+tcp", "name0.svc.test", "A");
        var noData = await DigAsync(harness, "+tcp", "+noedns", "name0.svc.test", "AAAA");

        Assert.Matches(@"name0\.svc\.test\.\s+5\s+IN\s+A\s+127\.77\.0\.10", answer);
        Assert.Contains("status: NOERROR", noData, StringComparison.Ordinal);
        Assert.Contains("ANSWER: 0, AUTHORITY: 1", noData, StringComparison.Ordinal);
        Assert.Matches(@"name0\.svc\.test\.\s+5\s+IN\s+SOA\s+name0\.svc\.test\. hostmaster\.name0\.svc\.test\.", noData);
    }

    [SkippableFact]
    public async Task Dig_Miss_NxDomain()
    {
        await using var harness = await DnsServerHarness.StartAsync();

        Assert.Contains("status: NXDOMAIN", await DigAsync(harness, "other.svc.test"), StringComparison.Ordinal);
    }

    /// <summary>
    /// glibc's resolver reads /etc/resolv.conf, which only allows port 53: in a private mount namespace
    /// a temporary resolv.conf points at a unique 127.x.y.z where the server listens on port 53.
    /// </summary>
    [SkippableFact]
    public async Task Getent_SystemResolver_ResolvesMappedName()
    {
        var unshare = ExternalTool.Require("unshare", "util-linux");
        ExternalTool.Require("getent", "libc-bin");
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root: a private mount namespace (unshare --mount) swaps /etc/resolv.conf");
        var address = new IPAddress([127, 53, (byte)Random.Shared.Next(1, 255), (byte)Random.Shared.Next(1, 255)]);
        var options = new DnsServerOptions(new IPEndPoint(address, 53), TimeSpan.FromSeconds(5), DnsMissPolicy.NxDomain, [], ["default.svc.cluster.local"]);
        await using var harness = await DnsServerHarness.StartAsync(options);
        var resolvConf = Path.Combine(Path.GetTempPath(), $"sidecar-resolv-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(resolvConf, $"nameserver {address}\nsearch default.svc.cluster.local\noptions ndots:5 attempts:3 timeout:5\n");
        try
        {
            var (exitCode, output) = await ProcessRunner.RunAsync(unshare, "--mount", "sh", "-c",
                $"mount --bind '{resolvConf}' /etc/resolv.conf && getent ahostsv4 name0.svc.test");

            Assert.True(exitCode == 0, output);
            Assert.StartsWith("127.77.0.10", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(resolvConf);
        }
    }
}
