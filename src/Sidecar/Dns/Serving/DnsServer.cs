using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Sidecar.Hosting;

namespace Sidecar.Dns.Serving;

/// <summary>
/// The DNS component: binds UDP and TCP on exactly the configured address (never a wildcard), serves
/// from the current <see cref="NameTable"/>, and swaps in a new table on every publish. With
/// <paramref name="counters"/> it counts queries by type and response code and forwards (the control loop owns the mapped-names gauge);
/// with <paramref name="health"/> it marks DNS bound once both sockets serve.
/// </summary>
internal sealed partial class DnsServer(DnsServerOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory,
    DnsCounters? counters = null, HealthState? health = null)
    : IComponent, INamePublisher
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<DnsServer>();
    private readonly DnsResponder _responder = new(options.MissPolicy, counters?.Queries);
    private readonly Lock _publishLock = new();
    private UdpDnsServer? _udp;
    private TcpDnsServer? _tcp;
    private uint _serial;

    public string Name => "dns";

    /// <summary>The bound address (with the real port when the configured port was 0).</summary>
    public IPEndPoint? LocalEndPoint => _udp?.LocalEndPoint;

    /// <summary>True while every UDP receive loop runs (for /healthz).</summary>
    public bool IsServing => _udp?.LoopsAlive ?? false;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var forwarder = options.MissPolicy == DnsMissPolicy.Forward
            ? new UpstreamForwarder(options.Upstreams, options.UpstreamTimeout, timeProvider, loggerFactory.CreateLogger<UpstreamForwarder>(), counters)
            : null;
        if (forwarder is { Upstreams.Count: 0 })
        {
            LogNoUpstreams();
        }
        var udpLogger = loggerFactory.CreateLogger<UdpDnsServer>();
        try
        {
            _udp = new UdpDnsServer(options.Address, _responder, forwarder, udpLogger, counters?.Udp);
        }
        catch (SocketException e)
        {
            throw BindErrors.Describe(options.Address, "UDP", e);
        }
        // With port 0 (tests) TCP takes the port UDP got, so one address serves both.
        var tcpAddress = new IPEndPoint(options.Address.Address, _udp.LocalEndPoint.Port);
        try
        {
            _tcp = new TcpDnsServer(tcpAddress, _responder, forwarder, timeProvider, loggerFactory.CreateLogger<TcpDnsServer>(), counters?.Tcp,
                options.TcpMaxConnections);
        }
        catch (SocketException e)
        {
            _udp.Dispose();
            _udp = null;
            throw BindErrors.Describe(tcpAddress, "TCP", e);
        }
        _udp.Start(options.UdpLoops, options.BatchedReceive);
        _tcp.Start();
        LogServing(_udp.LocalEndPoint, options.MissPolicy, options.UdpLoops);
        health?.MarkDnsBound();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Builds and swaps in a new table (with the next SOA serial). Deciding whether the set changed is the
    /// caller's: the reconciler publishes only when it did, so a resync that changes nothing costs nothing here.
    /// </summary>
    public void Publish(IReadOnlyCollection<DnsMapping> mappings)
    {
        // Publishes come from one reconciler; the lock only keeps serials ordered if that ever changes.
        lock (_publishLock)
        {
            var table = NameTable.Build(mappings, options.SearchDomains, options.Ttl, ++_serial);
            _responder.Table = table;
            LogPublished(mappings.Count, table.Count);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _udp?.Dispose();
        _udp = null;
        if (_tcp is { } tcp)
        {
            _tcp = null;
            await tcp.DisposeAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);
}
