using Sidecar.Tunnels.Native.Compression;
using Sidecar.Tunnels.Native.Crypto;
using Sidecar.Tunnels.Native.Metrics;
using Sidecar.Tunnels.Native.Session;
using Sidecar.Tunnels.Native.Wire;
using Sidecar.Tunnels.Native.Yamux;

namespace Sidecar.Tunnels.Native.Visitors;

/// <summary>What one visitor connects to: the proxy at frps, its secret, and how to encode this leg.</summary>
internal sealed record FrpVisitorTarget(string ProxyName, string SecretKey, bool UseEncryption = false, bool UseCompression = false)
{
    // Records print every member; the secret stays out of logs.
    public override string ToString() => ProxyName;
}

/// <summary>
/// Opens one visitor connection (frp v0.61 client/visitor/stcp.go handleConn): a new stream on the server's
/// session, NewVisitorConn with sign_key = md5(secretKey + timestamp), NewVisitorConnResp within the timeout,
/// then this leg's own encoding: encryption (AES-128-CFB keyed by the secret key) under compression (snappy).
/// </summary>
internal static class FrpVisitorConnector
{
    public static async Task<VisitorLeg> OpenAsync(FrpSession session, FrpVisitorTarget target, TimeSpan sessionWait, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var (mux, runId) = await session.WaitReadyAsync(sessionWait, cancellationToken).ConfigureAwait(false);
            YamuxStream? stream = null;
            try
            {
                stream = await mux.OpenStreamAsync(cancellationToken).ConfigureAwait(false);
                session.Counters.OpenStreams.Increment();
                var leg = await HandshakeAsync(stream, runId, target, session, cancellationToken).ConfigureAwait(false);
                stream = null; // the leg owns it now
                return leg;
            }
            catch (IOException) when (attempt == 0)
            {
                // The session died under us (frps restarting): the stream can end before the session is seen
                // closed, so an I/O failure of the first attempt is retried once on whatever session is ready next.
                if (mux.IsClosed)
                {
                    session.ReportBroken(mux);
                }
            }
            finally
            {
                if (stream is not null)
                {
                    session.Counters.OpenStreams.Decrement();
                    await stream.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    private static async Task<VisitorLeg> HandshakeAsync(YamuxStream stream, string runId, FrpVisitorTarget target, FrpSession session,
        CancellationToken cancellationToken)
    {
        var responseTimeout = session.Options.VisitorResponseTimeout;
        var timestamp = session.Time.GetUtcNow().ToUnixTimeSeconds();
        var request = new NewVisitorConnMessage
        {
            RunId = runId,
            ProxyName = target.ProxyName,
            SignKey = FrpAuthKey.Compute(target.SecretKey, timestamp),
            Timestamp = timestamp,
            UseEncryption = target.UseEncryption,
            UseCompression = target.UseCompression,
        };
        await stream.WriteAsync(FrpMessageCodec.Encode(FrpMessageType.NewVisitorConn, request, FrpWireJsonContext.Default.NewVisitorConnMessage),
            cancellationToken).ConfigureAwait(false);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(responseTimeout);
        FrpFrame? frame;
        try
        {
            frame = await FrpMessageCodec.ReadAsync(stream, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"frps sent no NewVisitorConnResp within {responseTimeout.TotalSeconds:0} s");
        }
        var response = FrpMessageCodec.Decode(frame ?? throw new EndOfStreamException("frps closed the visitor stream before NewVisitorConnResp"),
            FrpMessageType.NewVisitorConnResp, FrpWireJsonContext.Default.NewVisitorConnRespMessage);
        if (!string.IsNullOrEmpty(response.Error))
        {
            throw new FrpVisitorRefusedException(response.Error);
        }

        Stream leg = stream;
        if (target.UseEncryption)
        {
            leg = new FrpCryptoStream(leg, FrpKey.Derive(target.SecretKey));
        }
        if (target.UseCompression)
        {
            leg = new SnappyFrameStream(leg);
        }
        return new VisitorLeg(leg, stream, session.Counters);
    }
}
