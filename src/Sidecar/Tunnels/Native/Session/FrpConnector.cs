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
                CertificateChainPolicy = ChainPolicy(trusted),
                RemoteCertificateValidationCallback = trusted is null ? AcceptAny : AcceptValid,
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
    /// The policy of the one chain SslStream builds (it builds one whatever the callback says): only the CA
    /// file's certificates are roots, nothing is fetched (no AIA downloads of issuers named in frps's
    /// certificate, no revocation lookups; frpc does neither). .NET still reads the system trust store into
    /// memory for any chain build on Linux (OpenSslX509ChainProcessor.InitiateChain), custom trust or not.
    /// </summary>
    private static X509ChainPolicy ChainPolicy(X509Certificate2Collection? trusted)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        if (trusted is not null)
        {
            policy.CustomTrustStore.AddRange(trusted);
        }
        return policy;
    }

    /// <summary>Without a CA file frpc accepts any certificate (the session is still encrypted, and the control
    /// stream additionally by the token).</summary>
    private static bool AcceptAny(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) => true;

    /// <summary>With one, chain (to a certificate of that file only) and name must check out: SslStream's verdict.</summary>
    private static bool AcceptValid(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        errors == SslPolicyErrors.None;

    private static X509Certificate2Collection LoadCa(string path)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPemFile(path);
        return collection;
    }
}
