namespace Sidecar.Tunnels.Native.Yamux;

/// <summary>
/// The session's settings, defaulting to what frpc uses (frp v0.61 client/connector.go over yamux's
/// DefaultConfig): keepalive every 30 s (transport.tcpMuxKeepaliveInterval), 10 s for a write or a keepalive
/// answer, and a 6 MiB per-stream receive window (which bounds what one slow application can make us buffer).
/// </summary>
internal sealed record YamuxOptions
{
    /// <summary>Every stream starts with this window in both directions (yamux spec).</summary>
    public const uint InitialWindow = 256 * 1024;

    public uint MaxStreamWindow { get; init; } = 6 * 1024 * 1024;

    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Largest payload we put in one Data frame, so one stream cannot hold the connection for long. 256 bytes
    /// short of 64 KiB: the frame (12-byte header) is four 16 KiB TLS records, which with their overhead (29 bytes
    /// each with TLS 1.2 AES-GCM, 22 with TLS 1.3) still fit one 64 KiB send batch, so the frame buffer and the
    /// batch are 64 KiB arrays from the pool instead of 128 KiB ones on the large object heap, and each pool
    /// thread that ever relayed keeps half as much. The frame size is the sender's choice in yamux.
    /// </summary>
    public int MaxFramePayload { get; init; } = 64 * 1024 - 256;
}
