using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Sidecar.Tunnels;

/// <summary>Tells whether something accepts traffic on a local address, as an application would find out.</summary>
internal static class ListenProbe
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(1);

    /// <summary>A TCP connect that succeeds, closed at once.</summary>
    public static async Task<bool> IsTcpListeningAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await socket.ConnectAsync(endPoint, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is SocketException || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// UDP has no connect to probe with, and sending a datagram would reach the remote service. Instead look
    /// for a bound socket in /proc/net/udp{,6} (proc(5)): local address as the kernel's hex words, then port.
    /// </summary>
    public static bool IsUdpBound(IPEndPoint endPoint)
    {
        var v6 = endPoint.AddressFamily == AddressFamily.InterNetworkV6;
        var table = v6 ? "/proc/net/udp6" : "/proc/net/udp";
        var exact = KernelHex(endPoint.Address) + ":" + endPoint.Port.ToString("X4", CultureInfo.InvariantCulture);
        var any = KernelHex(v6 ? IPAddress.IPv6Any : IPAddress.Any) + ":" + endPoint.Port.ToString("X4", CultureInfo.InvariantCulture);
        try
        {
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length >= 2 && (fields[1] == exact || fields[1] == any))
                {
                    return true;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return false;
    }

    /// <summary>The kernel prints each 32-bit word of the address as a native-order integer, as BitConverter reads it.</summary>
    private static string KernelHex(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        var text = "";
        for (var i = 0; i < bytes.Length; i += 4)
        {
            var word = BitConverter.ToUInt32(bytes, i);
            text += word.ToString("X8", CultureInfo.InvariantCulture);
        }
        return text;
    }
}
