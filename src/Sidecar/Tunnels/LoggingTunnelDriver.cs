using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Sidecar.Endpoints;

namespace Sidecar.Tunnels;

/// <summary>
/// A tunnel driver that only logs: every opened tunnel reports Listening (http/https/tcpmux: Unsupported).
/// Lets discovery and DNS run end to end before the real forwarder and frpc driver are wired in.
/// </summary>
internal sealed partial class LoggingTunnelDriver(ILogger<LoggingTunnelDriver> logger) : ITunnelDriver
{
    private readonly ConcurrentDictionary<EndpointKey, Tunnel> _open = new();

    public ValueTask OpenAsync(IReadOnlyList<Tunnel> tunnels, CancellationToken cancellationToken)
    {
        foreach (var tunnel in tunnels)
        {
            _open[tunnel.Endpoint.Key] = tunnel;
            LogOpened(tunnel.ToString());
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask CloseAsync(IReadOnlyList<Tunnel> tunnels, CancellationToken cancellationToken)
    {
        foreach (var tunnel in tunnels)
        {
            _open.TryRemove(tunnel.Endpoint.Key, out _);
            LogClosed(tunnel.ToString());
        }
        return ValueTask.CompletedTask;
    }

    public TunnelState GetState(Tunnel tunnel) =>
        tunnel.Endpoint.ProxyType is ProxyType.Http or ProxyType.Https or ProxyType.Tcpmux ? TunnelState.Unsupported
        : _open.TryGetValue(tunnel.Endpoint.Key, out var open) && open == tunnel ? TunnelState.Listening
        : TunnelState.Failed;

    [LoggerMessage(4301, LogLevel.Information, "Tunnel (logging only) opened: {Tunnel}")]
    private partial void LogOpened(string tunnel);

    [LoggerMessage(4302, LogLevel.Information, "Tunnel (logging only) closed: {Tunnel}")]
    private partial void LogClosed(string tunnel);
}
