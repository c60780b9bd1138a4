namespace Sidecar.Tunnels.Native.Yamux;

/// <summary>The multiplexed session broke its rules (a bad header, a window overrun) or ended; the session is over.</summary>
internal sealed class YamuxProtocolException(string message, Exception? inner = null) : IOException(message, inner);
