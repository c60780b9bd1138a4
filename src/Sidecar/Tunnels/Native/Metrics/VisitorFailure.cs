namespace Sidecar.Tunnels.Native.Metrics;

/// <summary>Why one visitor connection (stcp) or stream (sudp) could not be opened; a metric label each.</summary>
internal enum VisitorFailure
{
    /// <summary>frps refused: "custom listener for [x] doesn't exist" (the proxy is not registered).</summary>
    UnknownProxy,

    /// <summary>frps refused: "… auth failed" (the secret key differs).</summary>
    WrongSecret,

    /// <summary>frps refused: "… not allowed" (allowUsers).</summary>
    UserNotAllowed,

    /// <summary>frps refused for another reason.</summary>
    Refused,

    /// <summary>No logged-in session within the wait (frps away, or the login is refused).</summary>
    NoSession,

    /// <summary>No NewVisitorConnResp within its timeout.</summary>
    NoResponse,

    /// <summary>The stream or session broke during the handshake, or frps answered something unexpected.</summary>
    StreamFailed,
}
