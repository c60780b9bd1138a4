using System.Text.Json.Serialization;

namespace Sidecar.Tunnels.Native.Wire;

// The JSON bodies of the messages a visitor exchanges, with frp's snake_case keys (frp v0.61 pkg/msg/msg.go).
// Go's omitempty is matched by the context's WhenWritingDefault: zero values are left out.

/// <summary>The first message on the control stream; <c>privilege_key</c> = md5(token + timestamp).</summary>
internal sealed class LoginMessage
{
    [JsonPropertyName("version")] public string? Version { get; set; }
    [JsonPropertyName("hostname")] public string? Hostname { get; set; }
    [JsonPropertyName("os")] public string? Os { get; set; }
    [JsonPropertyName("arch")] public string? Arch { get; set; }
    [JsonPropertyName("user")] public string? User { get; set; }
    [JsonPropertyName("privilege_key")] public string? PrivilegeKey { get; set; }
    [JsonPropertyName("timestamp")] public long Timestamp { get; set; }
    [JsonPropertyName("run_id")] public string? RunId { get; set; }
    [JsonPropertyName("pool_count")] public int PoolCount { get; set; }
}

internal sealed class LoginRespMessage
{
    [JsonPropertyName("version")] public string? Version { get; set; }
    [JsonPropertyName("run_id")] public string? RunId { get; set; }
    [JsonPropertyName("error")] public string? Error { get; set; }
}

/// <summary>Opens a visitor stream; <c>sign_key</c> = md5(secretKey + timestamp).</summary>
internal sealed class NewVisitorConnMessage
{
    [JsonPropertyName("run_id")] public string? RunId { get; set; }
    [JsonPropertyName("proxy_name")] public string? ProxyName { get; set; }
    [JsonPropertyName("sign_key")] public string? SignKey { get; set; }
    [JsonPropertyName("timestamp")] public long Timestamp { get; set; }
    [JsonPropertyName("use_encryption")] public bool UseEncryption { get; set; }
    [JsonPropertyName("use_compression")] public bool UseCompression { get; set; }
}

internal sealed class NewVisitorConnRespMessage
{
    [JsonPropertyName("proxy_name")] public string? ProxyName { get; set; }
    [JsonPropertyName("error")] public string? Error { get; set; }
}

/// <summary>What frpc answers a ReqWorkConn with; a visitor-only client never sends it, but transcripts hold it.</summary>
internal sealed class NewWorkConnMessage
{
    [JsonPropertyName("run_id")] public string? RunId { get; set; }
    [JsonPropertyName("privilege_key")] public string? PrivilegeKey { get; set; }
    [JsonPropertyName("timestamp")] public long Timestamp { get; set; }
}

/// <summary>Ping and ReqWorkConn bodies a visitor never needs to look into are read as this.</summary>
internal sealed class PingMessage
{
    [JsonPropertyName("privilege_key")] public string? PrivilegeKey { get; set; }
    [JsonPropertyName("timestamp")] public long Timestamp { get; set; }
}

internal sealed class PongMessage
{
    [JsonPropertyName("error")] public string? Error { get; set; }
}

/// <summary>
/// One datagram on an sudp stream: base64 content, and the application's address so the reply finds its
/// way back. Keys are frp's short ones (<c>c</c>, <c>l</c>, <c>r</c>); the address is Go's net.UDPAddr.
/// </summary>
internal sealed class UdpPacketMessage
{
    [JsonPropertyName("c")] public string? Content { get; set; }
    [JsonPropertyName("l")] public UdpAddressJson? LocalAddr { get; set; }
    [JsonPropertyName("r")] public UdpAddressJson? RemoteAddr { get; set; }
}

/// <summary>Go's net.UDPAddr as encoding/json writes it: exported field names, the IP as text.</summary>
internal sealed class UdpAddressJson
{
    [JsonPropertyName("IP")] public string? IP { get; set; }
    [JsonPropertyName("Port")] public int Port { get; set; }

    // Go writes Zone even when empty (no omitempty on net.UDPAddr), so it is always written here too.
    [JsonPropertyName("Zone")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Zone { get; set; } = "";
}
