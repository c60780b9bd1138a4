using System.Text.Json.Serialization;

namespace Sidecar.Discovery.Model;

/// <summary>
/// The proxy's frpc configuration as frps reports it: the fields the endpoint rules read
/// (<c>ControlLoop/Extraction/ResourceEndpointReader</c>) and <see cref="UsedFields"/> compares, no others.
/// </summary>
[JsonConverter(typeof(ProxyConfigConverter))]
internal sealed class ProxyConfig
{
    /// <summary>The proxy type when <c>proxyType</c> is missing.</summary>
    public string? Type { get; init; }
    public int? LocalPort { get; init; }
    /// <summary>frps's public port of a tcp/udp proxy.</summary>
    public int? RemotePort { get; init; }
    /// <summary>stcp/sudp shared secret (newer operators only); never logged.</summary>
    public string? SecretKey { get; init; }
}
