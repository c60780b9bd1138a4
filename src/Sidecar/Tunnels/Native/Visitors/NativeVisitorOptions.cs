namespace Sidecar.Tunnels.Native.Visitors;

/// <summary>Timings and leg encoding of native visitors; settable so tests need not wait for production values.</summary>
internal sealed record NativeVisitorOptions
{
    /// <summary>How long a new connection waits for a session while frps is away before it is refused.</summary>
    public TimeSpan SessionWait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>An sudp stream with nothing from frps for this long is closed (frpc: 60 s read deadline; the proxy side pings every 30 s).</summary>
    public TimeSpan SudpReadIdle { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Datagrams waiting for the sudp stream; beyond it new ones are dropped (frpc's queue is 1024 too).</summary>
    public int SudpQueue { get; init; } = 1024;

    /// <summary>
    /// This leg's own encryption and compression, sent in NewVisitorConn: frps decodes each leg by its own
    /// flags, whatever the proxy uses, so they are the visitor's choice; off by default since the session
    /// already runs over TLS.
    /// </summary>
    public bool UseEncryption { get; init; }

    public bool UseCompression { get; init; }
}
