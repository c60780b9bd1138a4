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
}
