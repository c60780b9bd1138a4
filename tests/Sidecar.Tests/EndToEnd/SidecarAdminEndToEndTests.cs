using System.Net;
using System.Text.Json.Nodes;
using Sidecar.Tests.Support;
using Sidecar.Tunnels.Frpc;

namespace Sidecar.Tests.EndToEnd;

/// <summary>
/// The admin endpoint of the real sidecar process, fed by the STAND-IN Kubernetes API server and the
/// STAND-IN frpc: readiness follows the first sync, and no secret leaves the private state directory.
/// </summary>
public sealed class SidecarAdminEndToEndTests
{
    [Fact]
    public async Task Readyz_BeforeAndAfterFirstSync_503Then200()
    {
        await using var rig = await EndToEndRig.CreateAsync();
        rig.Api.Put(rig.Resource());
        // The API server fails every list until the test lets it answer: no sync can happen before that.
        Interlocked.Exchange(ref rig.Api.FailNextLists, 1_000_000);
        await rig.StartAsync(admin: true);
        using var http = new HttpClient { BaseAddress = rig.Admin, Timeout = TimeSpan.FromSeconds(10) };

        await rig.PollAsync(async () => Volatile.Read(ref rig.Api.ListCount) >= 1 && await StatusAsync(http, "readyz") is not null,
            "the admin endpoint answers while lists fail");
        using (var notReady = await http.GetAsync("readyz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
            Assert.Contains("first sync done=False", await notReady.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Interlocked.Exchange(ref rig.Api.FailNextLists, 0);
        await rig.PollAsync(async () => await StatusAsync(http, "readyz") == HttpStatusCode.OK, "/readyz turns 200 after the first sync");
        Assert.Equal("ready\n", await http.GetStringAsync("readyz"));
    }

    [Fact]
    public async Task DebugMappings_TunnelsOpen_ShowsBothWithoutSecrets()
    {
        await using var rig = await EndToEndRig.CreateAsync();
        rig.Api.Put(rig.Resource());
        await rig.StartAsync(admin: true);
        using var http = new HttpClient { BaseAddress = rig.Admin, Timeout = TimeSpan.FromSeconds(10) };

        var body = "";
        await rig.PollAsync(async () =>
        {
            body = await GetOrEmptyAsync(http, "debug/mappings");
            return body.Length > 0 && JsonNode.Parse(body)!.AsArray().Count(m => m!["published"]!.GetValue<bool>()) == 2;
        }, "/debug/mappings shows both names published");

        var names = JsonNode.Parse(body)!.AsArray().Select(m => m!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal([EndToEndRig.TcpName, EndToEndRig.StcpName], names);
        var metrics = await http.GetStringAsync("metrics");
        var commandLines = string.Join('\n', rig.FrpcChildren().Append(rig.Sidecar!.Id).SelectMany(ProcInfo.CommandLine));
        foreach (var secret in new[] { rig.SecretKey, rig.Token })
        {
            Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, metrics, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, commandLines, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, rig.Output, StringComparison.Ordinal);
        }
        // The secrets did reach frpc: through its private config file, the only place they may be.
        var config = Assert.Single(Directory.GetFiles(rig.StateDir, "*.toml"));
        Assert.Contains(rig.SecretKey, await File.ReadAllTextAsync(config), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(config));
    }

    private static async Task<HttpStatusCode?> StatusAsync(HttpClient http, string path)
    {
        try
        {
            using var response = await http.GetAsync(path);
            return response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private static async Task<string> GetOrEmptyAsync(HttpClient http, string path)
    {
        try
        {
            return await http.GetStringAsync(path);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return "";
        }
    }
}
