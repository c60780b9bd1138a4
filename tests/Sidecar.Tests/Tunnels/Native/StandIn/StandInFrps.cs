using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Sidecar.Tunnels.Native.Compression;
using Sidecar.Tunnels.Native.Crypto;
using Sidecar.Tunnels.Native.Wire;

namespace Sidecar.Tests.Tunnels.Native.StandIn;

/// <summary>
/// A stand-in frps for the native visitor's tests, written from frp 0.61's protocol as recorded in
/// Data/frp-0.61.2 (see StandInFrpsTests for the check against the recordings): plain TCP, yamux, Login
/// with the privilege key, NewVisitorConn with the sign key and frps's own error texts, per-leg encryption
/// and compression, and behind each proxy an echo (stcp: bytes; sudp: UDPPacket messages sent back, or relayed to a UDP
/// backend of the test's, see <see cref="StandInSudpRelay"/>).
/// Its message framing, keys and ciphers are the product's, which the transcript tests check against real frp.
/// </summary>
internal sealed class StandInFrps : IAsyncDisposable
{
    private readonly string _token;
    private readonly ConcurrentDictionary<StandInConnection, byte> _connections = new();
    private readonly ConcurrentDictionary<string, byte> _runIds = new();
    private TcpListener? _listener;
    private int _port;
    private int _logins;
    private int _refusedLogins;
    private int _visitorConnections;

    public StandInFrps(string token, int port = 0)
    {
        _token = token;
        _port = port;
    }

    /// <summary>Proxy name → (secret key, "stcp" or "sudp").</summary>
    public ConcurrentDictionary<string, (string Secret, string Kind)> Proxies { get; } = new();

    /// <summary>stcp proxy name → the TCP service behind it (bench/native.sh); a proxy without one echoes itself.</summary>
    public ConcurrentDictionary<string, IPEndPoint> TcpBackends { get; } = new();

    /// <summary>sudp proxy name → the UDP service behind it; a proxy without one echoes UDPPackets itself.</summary>
    public ConcurrentDictionary<string, IPEndPoint> UdpBackends { get; } = new();

    public ConcurrentQueue<NewVisitorConnMessage> VisitorRequests { get; } = new();

    public ConcurrentQueue<LoginMessage> LoginRequests { get; } = new();

    public IPEndPoint EndPoint => new(IPAddress.Loopback, _port);

    public int Logins => Volatile.Read(ref _logins);

    public int RefusedLogins => Volatile.Read(ref _refusedLogins);

    public int VisitorConnections => Volatile.Read(ref _visitorConnections);

    public void Start()
    {
        _listener = new TcpListener(IPAddress.Loopback, _port);
        _listener.Start();
        _port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        var listener = _listener;
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var socket = await listener.AcceptSocketAsync();
                    socket.NoDelay = true; // Go sets TCP_NODELAY on every TCP connection, frps's included
                    _ = Task.Run(async () =>
                    {
                        Stream transport;
                        try
                        {
                            transport = await AcceptTransportAsync(socket);
                        }
                        catch (Exception e) when (e is IOException or SocketException or System.Security.Authentication.AuthenticationException)
                        {
                            socket.Dispose();
                            return;
                        }
                        var connection = new StandInConnection(transport, HandleStreamAsync);
                        _connections[connection] = 0;
                        await connection.RunAsync();
                        _connections.TryRemove(connection, out _);
                    });
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        });
    }

    /// <summary>
    /// As frps does: peek at the first byte; 0x17 is frp's TLS marker (consumed, then TLS), 0x16 a TLS
    /// ClientHello, anything else plain TCP. TLS uses a throwaway self-signed certificate, which frpc's
    /// default (no CA configured) accepts.
    /// </summary>
    private static async Task<Stream> AcceptTransportAsync(Socket socket)
    {
        var first = new byte[1];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        if (await socket.ReceiveAsync(first, SocketFlags.Peek, timeout.Token) == 0)
        {
            throw new IOException("closed before the first byte");
        }
        var net = new NetworkStream(socket, ownsSocket: true);
        if (first[0] == 0x17)
        {
            await net.ReadExactlyAsync(first, timeout.Token);
        }
        else if (first[0] != 0x16)
        {
            return net;
        }
        var tls = new System.Net.Security.SslStream(net);
        await tls.AuthenticateAsServerAsync(Certificate.Value, false, false);
        return tls;
    }

    /// <summary>The stand-in's self-signed certificate (CN=stand-in-frps) as PEM: a CA file that pins it.</summary>
    public static string CertificatePem => Certificate.Value.ExportCertificatePem();

    private static readonly Lazy<System.Security.Cryptography.X509Certificates.X509Certificate2> Certificate = new(() =>
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=stand-in-frps", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // A PFX round trip gives SslStream a certificate whose private key it can use on Linux.
        return System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(cert.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx), null);
    });

    /// <summary>Like frps going down: the port closes and every session drops.</summary>
    public void Stop()
    {
        _listener?.Stop();
        foreach (var connection in _connections.Keys)
        {
            connection.Close();
        }
        _runIds.Clear();
    }

    private async Task HandleStreamAsync(StandInMuxStream stream)
    {
        try
        {
            var first = await FrpMessageCodec.ReadAsync(stream, CancellationToken.None);
            switch (first?.Type)
            {
                case FrpMessageType.Login:
                    await LoginAsync(stream, FrpMessageCodec.Decode(first.Value, FrpMessageType.Login, FrpWireJsonContext.Default.LoginMessage));
                    break;
                case FrpMessageType.NewVisitorConn:
                    await VisitorAsync(stream, FrpMessageCodec.Decode(first.Value, FrpMessageType.NewVisitorConn, FrpWireJsonContext.Default.NewVisitorConnMessage));
                    break;
            }
        }
        catch (Exception e) when (e is IOException or FrpProtocolException or ObjectDisposedException or InvalidDataException)
        {
        }
    }

    private async Task LoginAsync(StandInMuxStream stream, LoginMessage login)
    {
        LoginRequests.Enqueue(login);
        if (FrpAuthKey.Compute(_token, login.Timestamp) != login.PrivilegeKey)
        {
            Interlocked.Increment(ref _refusedLogins);
            await SendAsync(stream, FrpMessageType.LoginResp, new LoginRespMessage
            {
                Version = "0.61.2", Error = "token in login doesn't match token from configuration",
            }, FrpWireJsonContext.Default.LoginRespMessage);
            await stream.FinAsync();
            return;
        }
        var runId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray(), 0, 8);
        _runIds[runId] = 0;
        Interlocked.Increment(ref _logins);
        await SendAsync(stream, FrpMessageType.LoginResp, new LoginRespMessage { Version = "0.61.2", RunId = runId },
            FrpWireJsonContext.Default.LoginRespMessage);
        // The control stream is encrypted with the token from here on; answer Pings, ignore the rest.
        await using var control = new FrpCryptoStream(stream, FrpKey.Derive(_token));
        while (await FrpMessageCodec.ReadAsync(control, CancellationToken.None) is { } frame)
        {
            if (frame.Type == FrpMessageType.Ping)
            {
                await SendAsync(control, FrpMessageType.Pong, new PongMessage(), FrpWireJsonContext.Default.PongMessage);
            }
        }
    }

    private async Task VisitorAsync(StandInMuxStream stream, NewVisitorConnMessage request)
    {
        VisitorRequests.Enqueue(request);
        var name = request.ProxyName ?? "";
        var error =
            request.RunId is null || !_runIds.ContainsKey(request.RunId) ? $"no client control found for run id [{request.RunId}]"
            : !Proxies.TryGetValue(name, out var proxy) ? $"custom listener for [{name}] doesn't exist"
            : FrpAuthKey.Compute(proxy.Secret, request.Timestamp) != request.SignKey ? $"visitor connection of [{name}] auth failed"
            : null;
        await SendAsync(stream, FrpMessageType.NewVisitorConnResp, new NewVisitorConnRespMessage { ProxyName = name, Error = error },
            FrpWireJsonContext.Default.NewVisitorConnRespMessage);
        if (error is not null)
        {
            await stream.FinAsync();
            return;
        }
        Interlocked.Increment(ref _visitorConnections);
        Stream leg = stream;
        if (request.UseEncryption)
        {
            leg = new FrpCryptoStream(leg, FrpKey.Derive(Proxies[name].Secret));
        }
        if (request.UseCompression)
        {
            leg = new SnappyFrameStream(leg);
        }
        if (Proxies[name].Kind == "sudp" && UdpBackends.TryGetValue(name, out var udpBackend))
        {
            await using var relay = new StandInSudpRelay(leg, udpBackend,
                (to, packet) => SendAsync(to, FrpMessageType.UdpPacket, packet, FrpWireJsonContext.Default.UdpPacketMessage));
            await relay.RunAsync();
        }
        else if (Proxies[name].Kind == "sudp")
        {
            while (await FrpMessageCodec.ReadAsync(leg, CancellationToken.None) is { } frame)
            {
                var packet = FrpMessageCodec.Decode(frame, FrpMessageType.UdpPacket, FrpWireJsonContext.Default.UdpPacketMessage);
                await SendAsync(leg, FrpMessageType.UdpPacket, packet, FrpWireJsonContext.Default.UdpPacketMessage);
            }
        }
        else if (TcpBackends.TryGetValue(name, out var tcpBackend))
        {
            await StandInTcpRelay.RunAsync(leg, tcpBackend);
        }
        else
        {
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await leg.ReadAsync(buffer)) > 0)
            {
                await leg.WriteAsync(buffer.AsMemory(0, read));
            }
        }
        await stream.FinAsync();
    }

    // Go's encoding/json leaves an apostrophe as is (frps's "doesn't"); System.Text.Json's default escapes it.
    private static readonly System.Text.Json.JsonSerializerOptions GoLikeJson = new()
    {
        TypeInfoResolver = FrpWireJsonContext.Default,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault,
    };

    private static async Task SendAsync<T>(Stream stream, byte type, T message, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info)
    {
        var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(message, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)GoLikeJson.GetTypeInfo(typeof(T)));
        var frame = new byte[FrpMessageCodec.HeaderLength + body.Length];
        FrpMessageCodec.WriteHeader(frame, type, body.Length);
        body.CopyTo(frame, FrpMessageCodec.HeaderLength);
        await stream.WriteAsync(frame);
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }
}
