using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Sidecar.Admin;
using Sidecar.Hosting;
using Sidecar.Observability;
using Sidecar.Tests.Support;

namespace Sidecar.Tests.Admin;

public sealed class AdminServerTests : IAsyncLifetime
{
    private readonly HealthState _health = new();
    private readonly SidecarMetrics _metrics = new();
    private readonly StaticMappings _mappings = new();
    private readonly HttpClient _http = new();
    private AdminServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = new AdminServer(new IPEndPoint(IPAddress.Loopback, 0), _health, _metrics, _mappings, TimeProvider.System, NullLogger<AdminServer>.Instance);
        await _server.StartAsync(CancellationToken.None);
        _http.BaseAddress = new Uri($"http://127.0.0.1:{_server.LocalEndPoint!.Port}/");
    }

    public async Task DisposeAsync()
    {
        await _server.StopAsync(CancellationToken.None);
        await _server.DisposeAsync();
        _http.Dispose();
    }

    [Fact]
    public async Task Readyz_BeforeAndAfterFirstSync_503Then200()
    {
        _health.MarkDnsBound();
        var before = await _http.GetAsync("readyz");
        _health.MarkSynced();
        var after = await _http.GetAsync("readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, before.StatusCode);
        Assert.Contains("first sync done=False", await before.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Healthz_DnsLoopsStopped_Returns503()
    {
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("healthz")).StatusCode);

        _health.DnsLoopsAlive = () => false;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _http.GetAsync("healthz")).StatusCode);
    }

    [Fact]
    public async Task Metrics_ServesPrometheusTextThatParses()
    {
        _metrics.Dns.Queries.Record(1, 0);

        var response = await _http.GetAsync("metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var samples = PrometheusText.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(1, samples["sidecar_dns_queries_total{type=\"A\",rcode=\"NOERROR\"}"]);
    }

    [Fact]
    public async Task DebugMappings_ServesJsonOfEveryMapping()
    {
        _mappings.Items = [new MappingView("mysql.abc", "127.1.0.7", true,
            [new MappingPortView(3306, "tcp", "tcp", "mysql.abc", "frpserver-sample", "172.31.19.105:2000", "listening", DateTimeOffset.UnixEpoch)])];

        var response = await _http.GetAsync("debug/mappings");

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var mapping = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("mysql.abc", mapping.GetProperty("name").GetString());
        Assert.Equal(3306, mapping.GetProperty("ports")[0].GetProperty("port").GetInt32());
        Assert.Equal("listening", mapping.GetProperty("ports")[0].GetProperty("tunnelState").GetString());
    }

    [Fact]
    public async Task Post_IsRefusedWith405()
    {
        var response = await _http.PostAsync("metrics", new StringContent("x"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("GET,HEAD", string.Join(",", response.Content.Headers.Allow));
    }

    [Fact]
    public async Task Head_Healthz_StatusAndLengthWithoutBody()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, "healthz");

        var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, response.Content.Headers.ContentLength);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task UnknownPath_Is404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("nope")).StatusCode);
    }

    private sealed class StaticMappings : IMappingSource
    {
        public IReadOnlyList<MappingView> Items { get; set; } = [];

        public IReadOnlyList<MappingView> GetMappings() => Items;
    }
}
