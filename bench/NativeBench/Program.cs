using System.Globalization;
using System.Net;
using NativeBench;
using Sidecar.Tests.Tunnels.Native.StandIn;

// bench/native.sh's helper processes:
//   frps PORT TOKEN [stcp:NAME=SECRET@HOST:PORT]... [tcp:LISTENPORT=HOST:PORT]...
//       the tests' stand-in frps (TLS as frps accepts it) whose stcp proxies relay to local services, plus
//       plain tcp proxy ports (what frps's remotePort is to a tcp proxy) for the peer path
//   latency HOST:PORT COUNT      connect, send 1 byte, read it back, close; prints the median and p90 in µs
switch (args.FirstOrDefault())
{
    case "frps" when args.Length >= 3:
        await using (var frps = new StandInFrps(args[2], int.Parse(args[1], CultureInfo.InvariantCulture)))
        {
            var ports = new List<TcpProxyPort>();
            foreach (var spec in args.Skip(3))
            {
                var (kind, rest) = (spec[..spec.IndexOf(':')], spec[(spec.IndexOf(':') + 1)..]);
                var name = rest[..rest.IndexOf('=')];
                var value = rest[(rest.IndexOf('=') + 1)..];
                if (kind == "stcp")
                {
                    var at = value.LastIndexOf('@');
                    frps.Proxies[name] = (value[..at], "stcp");
                    frps.TcpBackends[name] = IPEndPoint.Parse(value[(at + 1)..]);
                }
                else
                {
                    ports.Add(TcpProxyPort.Start(int.Parse(name, CultureInfo.InvariantCulture), IPEndPoint.Parse(value)));
                }
            }
            frps.Start();
            Console.WriteLine("ready");
            await Task.Delay(Timeout.Infinite);
        }
        break;
    case "latency" when args.Length == 3:
        Console.WriteLine(await Latency.MeasureAsync(IPEndPoint.Parse(args[1]), int.Parse(args[2], CultureInfo.InvariantCulture)));
        break;
    default:
        Console.Error.WriteLine("usage: NativeBench frps PORT TOKEN [stcp:NAME=SECRET@HOST:PORT]... [tcp:PORT=HOST:PORT]... | latency HOST:PORT COUNT");
        return 2;
}
return 0;
