using System.Net;
using System.Net.Sockets;
using Sidecar.Hosting;

namespace Sidecar.Dns.Serving;

/// <summary>Turns a failed bind into a start-up error that tells the operator what to do.</summary>
internal static class BindErrors
{
    public static StartupException Describe(IPEndPoint address, string protocol, SocketException e) => e.SocketErrorCode switch
    {
        SocketError.AddressAlreadyInUse => new StartupException(
            $"DNS address {address} ({protocol}) is already in use: stop the other DNS server on it, or choose another address with --dns-addr", e),
        SocketError.AccessDenied => new StartupException(
            $"permission denied binding DNS address {address} ({protocol}): ports below 1024 need CAP_NET_BIND_SERVICE (or root); grant it, or choose a port above 1023 with --dns-addr", e),
        SocketError.AddressNotAvailable => new StartupException(
            $"DNS address {address} ({protocol}) is not assigned to this host: choose a local address such as 127.0.0.2:53 with --dns-addr", e),
        _ => new StartupException($"cannot bind DNS address {address} ({protocol}): {e.Message}; check --dns-addr", e),
    };
}
