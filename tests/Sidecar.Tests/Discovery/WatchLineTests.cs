using System.Text.Json;
using Sidecar.Discovery.Kubernetes;

namespace Sidecar.Tests.Discovery;

public sealed class WatchLineTests
{
    [Fact]
    public void Parse_Modified_ReadsResource()
    {
        var line = WatchLine.Parse("""{"type":"MODIFIED","object":{"metadata":{"name":"a","resourceVersion":"7"},"status":{"activeConnections":[{"proxyName":"x"}]}}}""");
        Assert.Equal("MODIFIED", line.Type);
        Assert.Equal("7", line.Server!.Metadata!.ResourceVersion);
        Assert.Equal("x", line.Server.Status!.ActiveConnections![0].ProxyName);
    }

    [Fact]
    public void Parse_ErrorExpired_ReadsStatus()
    {
        var line = WatchLine.Parse("""{"type":"ERROR","object":{"kind":"Status","status":"Failure","reason":"Expired","code":410,"message":"too old"}}""");
        Assert.Equal("ERROR", line.Type);
        Assert.Equal(410, line.Status!.Code);
        Assert.True(KubeApiClient.IsGone(line.Status));
    }

    [Fact]
    public void Parse_ResourceThatDoesNotFit_MalformedButNamed()
    {
        var line = WatchLine.Parse("""{"type":"MODIFIED","object":{"metadata":{"name":"a"},"spec":{"bindPort":"not a port"}}}""");
        Assert.Equal("a", line.Server!.Name);
        Assert.Contains("bindPort", line.Server.ParseError);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    public void Parse_NotAnEvent_ThrowsJsonException(string text) =>
        Assert.ThrowsAny<JsonException>(() => WatchLine.Parse(text));
}
