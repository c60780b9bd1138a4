using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace NativeBench;

/// <summary>Connect → first echoed byte, one connection at a time (a new visitor stream each).</summary>
internal static class Latency
{
    public static async Task<string> MeasureAsync(IPEndPoint target, int count)
    {
        var samples = new List<double>(count);
        var one = new byte[1];
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(target);
            await socket.SendAsync(new byte[] { 42 }, SocketFlags.None);
            if (await socket.ReceiveAsync(one, SocketFlags.None) != 1)
            {
                throw new IOException("no echo");
            }
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }
        samples.Sort();
        return string.Create(CultureInfo.InvariantCulture, $"{samples[samples.Count / 2]:0} {samples[(int)(samples.Count * 0.9)]:0}");
    }
}
