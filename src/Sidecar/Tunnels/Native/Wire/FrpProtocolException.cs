namespace Sidecar.Tunnels.Native.Wire;

/// <summary>The peer spoke something other than frp's protocol as we know it (v0.61): framing, type or JSON.</summary>
internal sealed class FrpProtocolException(string message, Exception? inner = null) : Exception(message, inner);
