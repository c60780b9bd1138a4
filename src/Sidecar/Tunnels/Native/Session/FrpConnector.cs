using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Sidecar.Tunnels.Native.Session;

/// <summary>
/// Dials frps the way frpc does (frp v0.61 client/connector.go realConnect): TCP, then optionally the 0x17
/// marker byte, then TLS. frps peeks at the first byte: 0x17 (marker, then TLS), 0x16 (a TLS ClientHello)
/// or anything else (plain, unless frps forces TLS).
/// </summary>
internal static class FrpConnector
{
    private const byte CustomTlsFirstByte = 0x17;

    public static async Task<Stream> ConnectAsync(string host, int port, FrpSessionOptions options, CancellationToken cancellationToken)
    {
        using var dial = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        dial.CancelAfter(options.DialTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, dial.Token).ConfigureAwait(false);
            var network = new BatchingTransportStream(new NetworkStream(socket, ownsSocket: true));
            if (!options.Tls)
            {
                network.CoalesceWrites();
                return network;
            }
            if (options.CustomTlsFirstByte)
            {
                await network.WriteAsync(new[] { CustomTlsFirstByte }, dial.Token).ConfigureAwait(false);
            }
            var tls = new SslStream(network, leaveInnerStreamOpen: false);
            var trusted = options.TrustedCaFile is { } caFile ? LoadCa(caFile) : null;
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = options.TlsServerName ?? host,
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => Validate(certificate, errors, trusted),
            }, dial.Token).ConfigureAwait(false);
            // From here on every writer flushes (the yamux session, after each frame): a frame's TLS records go out in one send.
            network.CoalesceWrites();
            return tls;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Without a CA file, frpc accepts any certificate (the session is still encrypted, and the control
    /// stream additionally by the token); with one, chain and name must check out against that CA only.
    /// </summary>
    private static bool Validate(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection? trusted)
    {
        if (trusted is null)
        {
            return true;
        }
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    private static X509Certificate2Collection LoadCa(string path)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPemFile(path);
        return collection;
    }
}
