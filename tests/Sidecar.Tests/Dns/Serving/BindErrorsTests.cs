using System.Net;
using System.Net.Sockets;
using Sidecar.Dns.Serving;

namespace Sidecar.Tests.Dns.Serving;

public sealed class BindErrorsTests
{
    private static readonly IPEndPoint Address = new(IPAddress.Parse("127.0.0.2"), 53);

    [Theory]
    [InlineData(SocketError.AddressAlreadyInUse, "stop the other DNS server")]
    [InlineData(SocketError.AccessDenied, "CAP_NET_BIND_SERVICE")]
    [InlineData(SocketError.AccessDenied, "port above 1023")]
    [InlineData(SocketError.AddressNotAvailable, "not assigned to this host")]
    [InlineData(SocketError.NetworkUnreachable, "cannot bind")]
    public void Describe_SocketError_MessageSaysWhatToDo(SocketError error, string expected)
    {
        var exception = BindErrors.Describe(Address, "UDP", new SocketException((int)error));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.2:53", exception.Message, StringComparison.Ordinal);
        Assert.Contains("--dns-addr", exception.Message, StringComparison.Ordinal);
    }
}
