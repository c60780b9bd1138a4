using System.Text.Json.Serialization;

namespace Sidecar.Discovery.Model;

/// <summary>The proxy's frpc configuration as frps reports it.</summary>
[JsonConverter(typeof(ProxyConfigConverter))]
internal sealed class ProxyConfig
{
    public string? Name { get; init; }
    public string? Type { get; init; }
    /// <summary>frps's default 127.0.0.1, not the service's address.</summary>
    [JsonPropertyName("localIP")]
    public string? LocalIp { get; init; }
    public int? LocalPort { get; init; }
    public int? RemotePort { get; init; }
    /// <summary>stcp/sudp shared secret (newer operators only); never logged.</summary>
    public string? SecretKey { get; init; }
    public List<string>? AllowUsers { get; init; }
    public ProxyTransport? Transport { get; init; }
    public ProxyLoadBalancer? LoadBalancer { get; init; }
    public ProxyHealthCheck? HealthCheck { get; init; }
}
