namespace Sidecar.Tunnels.Native.Session;

/// <summary>No logged-in session within a visitor's wait; the message says why (the session's last error).</summary>
internal sealed class FrpSessionUnavailableException(string message) : TimeoutException(message);
