using System.Text.Json.Serialization;

namespace Sidecar.Tunnels.Native.Wire;

/// <summary>Source-generated JSON for frp's messages: no reflection under AOT; zero values omitted as Go's omitempty does.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(LoginMessage))]
[JsonSerializable(typeof(LoginRespMessage))]
[JsonSerializable(typeof(NewVisitorConnMessage))]
[JsonSerializable(typeof(NewVisitorConnRespMessage))]
[JsonSerializable(typeof(NewWorkConnMessage))]
[JsonSerializable(typeof(PingMessage))]
[JsonSerializable(typeof(PongMessage))]
[JsonSerializable(typeof(UdpPacketMessage))]
internal sealed partial class FrpWireJsonContext : JsonSerializerContext;
