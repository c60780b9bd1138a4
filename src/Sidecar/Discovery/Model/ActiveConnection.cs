using System.Text.Json.Serialization;

namespace Sidecar.Discovery.Model;

/// <summary>One proxy registered at frps (<c>status.activeConnections[]</c>). Times are opaque strings: frps writes year 0000.</summary>
[JsonConverter(typeof(ActiveConnectionConverter))]
internal sealed class ActiveConnection : IMalformable<ActiveConnection>
{
    public const string Online = "online";

    public string? ProxyName { get; init; }
    public string? ProxyType { get; init; }
    public ProxyConfig? ProxyConfig { get; init; }
    /// <summary><c>online</c> or <c>offline</c>.</summary>
    public string? Status { get; init; }
    public string? ClientName { get; init; }
    public string? ClientVersion { get; init; }
    public string? LocalAddr { get; init; }
    public string? RemoteAddr { get; init; }
    public string? StartTime { get; init; }
    public string? LastCloseTime { get; init; }
    public long? BytesIn { get; init; }
    public long? BytesOut { get; init; }
    public long? CurrentConnections { get; init; }
    public long? TodayTrafficIn { get; init; }
    public long? TodayTrafficOut { get; init; }

    [JsonIgnore]
    public string? ParseError { get; init; }

    public static ActiveConnection Malformed(string? name, string error) => new() { ProxyName = name, ParseError = error };
}
