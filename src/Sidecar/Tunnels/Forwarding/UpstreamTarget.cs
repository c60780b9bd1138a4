using System.Net;
using System.Net.Sockets;
using Sidecar.Logging;

namespace Sidecar.Tunnels.Forwarding;

/// <summary>frps's host and a tcp/udp proxy's remote port: an address as given, or a name resolved per use.</summary>
internal sealed class UpstreamTarget(string host, int port)
{
    private readonly IPEndPoint? _fixed = IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port) : null;

    public string Host => host;

    public int Port => port;

    public async ValueTask<IPEndPoint> ResolveAsync(CancellationToken cancellationToken)
    {
        if (_fixed is not null)
        {
            return _fixed;
        }
        // A name may move (a Service, a DNS round robin): resolved for each new connection or flow.
        var addresses = await System.Net.Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
            ?? throw new SocketException((int)SocketError.HostNotFound);
        return new IPEndPoint(chosen, port);
    }

    /// <summary>The host comes from a resource (status.internetAddr, spec.bindAddr): cut and escaped for logs.</summary>
    public override string ToString() => $"{UntrustedText.ForLog(host)}:{port}";
}
