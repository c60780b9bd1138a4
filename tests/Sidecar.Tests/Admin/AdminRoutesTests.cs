using Sidecar.Admin;
using Sidecar.Admin.Http;
using Sidecar.Hosting;
using Sidecar.Observability;

namespace Sidecar.Tests.Admin;

public sealed class AdminRoutesTests
{
    private readonly AdminRoutes _routes = new(new HealthState(), new SidecarMetrics(), new NoMappings());

    [Fact]
    public void Handle_DebugMappingsFromPodNetwork_Forbidden()
    {
        Assert.Equal(403, _routes.Handle(new HttpRequestHead("GET", "/debug/mappings"), fromLoopback: false).Status);
    }

    [Fact]
    public void Handle_DebugMappingsFromLoopback_Json()
    {
        var response = _routes.Handle(new HttpRequestHead("GET", "/debug/mappings"), fromLoopback: true);

        Assert.Equal((200, "[]"), (response.Status, System.Text.Encoding.UTF8.GetString(response.Body)));
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/metrics")]
    public void Handle_ProbesAndMetricsFromPodNetwork_Served(string path)
    {
        Assert.Equal(200, _routes.Handle(new HttpRequestHead("GET", path), fromLoopback: false).Status);
    }

    private sealed class NoMappings : IMappingSource
    {
        public IReadOnlyList<MappingView> GetMappings() => [];
    }
}
