using System.Net;
using System.Net.Sockets;

namespace Sidecar.Tests.Support;

/// <summary>Finds ports the kernel considers free right now, for tests that must pass a port to a child process.</summary>
internal static class FreePort
{
    public static int Udp(string address = "127.0.0.1")
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public static int Tcp(string address = "127.0.0.1")
    {
        using var listener = new TcpListener(IPAddress.Parse(address), 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// A port free for both UDP and TCP on the address, as a DNS listener needs: a UDP-free port may be
    /// some TCP socket's already while other tests run.
    /// </summary>
    public static int UdpAndTcp(string address = "127.0.0.1")
    {
        var ip = IPAddress.Parse(address);
        while (true)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(ip, 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                tcp.Bind(new IPEndPoint(ip, port));
                return port;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
            }
        }
    }

    /// <summary>
    /// A random address in 127.100.0.0–127.199.255.255 (the whole 127/8 is loopback on Linux). A server that
    /// needs the same port for UDP and TCP binds here: on 127.0.0.1 a UDP-free port may be taken for TCP by
    /// an outgoing connection of a concurrent test.
    /// </summary>
    public static IPAddress UniqueLoopback() =>
        new([127, (byte)Random.Shared.Next(100, 200), (byte)Random.Shared.Next(0, 256), (byte)Random.Shared.Next(2, 255)]);
}
