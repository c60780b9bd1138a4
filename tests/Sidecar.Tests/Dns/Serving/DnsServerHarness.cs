using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Sidecar.Dns;
using Sidecar.Dns.Serving;

namespace Sidecar.Tests.Dns.Serving;

/// <summary>Starts a real <see cref="DnsServer"/> on a loopback ephemeral port and talks to it over real sockets.</summary>
internal sealed class DnsServerHarness : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private DnsServerHarness(DnsServer server) => Server = server;

    public DnsServer Server { get; }

    public IPEndPoint EndPoint => Server.LocalEndPoint!;

    public static async Task<DnsServerHarness> StartAsync(DnsServerOptions? options = null, TimeProvider? timeProvider = null)
    {
        options ??= new DnsServerOptions(new IPEndPoint(Sidecar.Tests.Support.FreePort.UniqueLoopback(), 0), TimeSpan.FromSeconds(5), DnsMissPolicy.NxDomain, [], []);
        // A random 127.x address of its own: port 0 gives UDP a free port, and TCP finds the same one free there.
        var server = new DnsServer(options, timeProvider ?? TimeProvider.System, NullLoggerFactory.Instance);
        await server.StartAsync(CancellationToken.None);
        return Wrap(server);
    }

    /// <summary>Takes a started server, publishes name0.svc.test → 127.77.0.10, and stops it on dispose.</summary>
    public static DnsServerHarness Wrap(DnsServer server)
    {
        server.Publish([new DnsMapping("name0.svc.test", IPAddress.Parse("127.77.0.10"))]);
        return new DnsServerHarness(server);
    }

    public Task<ParsedMessage> AskUdpAsync(byte[] query) => DnsProbe.AskAsync(EndPoint, query);

    public static async Task<Socket> ConnectTcpAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endPoint);
        return socket;
    }

    public static byte[] Frame(byte[] message)
    {
        var framed = new byte[message.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)message.Length);
        message.CopyTo(framed, 2);
        return framed;
    }

    /// <returns>The next framed message, or null when the server closed the connection.</returns>
    public static async Task<ParsedMessage?> ReadFramedAsync(Socket socket)
    {
        using var patience = new CancellationTokenSource(Patience);
        var prefix = new byte[2];
        if (!await TcpFraming.ReadExactlyAsync(socket, prefix, patience.Token))
        {
            return null;
        }
        var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        return await TcpFraming.ReadExactlyAsync(socket, message, patience.Token) ? ParsedMessage.Read(message) : null;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.StopAsync(CancellationToken.None);
        await Server.DisposeAsync();
    }
}
