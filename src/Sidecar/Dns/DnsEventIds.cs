namespace Sidecar.Dns;

/// <summary>
/// The log event ids of DNS: the server (300x), UDP (301x), forwarding upstream (302x) and TCP (303x). They are
/// stable: dashboards, alerts and tests key on them, so each is named once here, for the <c>[LoggerMessage]</c>
/// attributes and the tests alike. Never reuse or renumber one.
/// </summary>
internal static class DnsEventIds
{
    // DnsServer
    public const int Serving = 3001;
    public const int NamesPublished = 3002;
    public const int NoUpstreams = 3003;

    // UdpDnsServer
    public const int UdpReceiveFailed = 3010;
    public const int UdpSendFailed = 3011;
    public const int UdpForwardQueueFull = 3012;
    public const int UdpBatchingUnavailable = 3013;

    // UpstreamForwarder
    public const int UpstreamTimeout = 3020;
    public const int UpstreamFailed = 3021;
    public const int UpstreamBadReply = 3022;
    public const int AllUpstreamsFailed = 3023;

    // TcpDnsServer
    public const int TcpAcceptFailed = 3030;
    public const int TcpPressure = 3031;
    public const int TcpConnectionFailed = 3032;
}
