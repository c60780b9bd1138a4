using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Sidecar.Admin.Http;
using Sidecar.Hosting;
using Sidecar.Observability;

namespace Sidecar.Admin;

/// <summary>
/// The operator's HTTP endpoint (<see cref="AdminRoutes"/>), served by <see cref="HttpServer"/>: bounded,
/// GET and HEAD only, no request bodies, and no files needed (it serves from an empty root).
/// </summary>
internal sealed partial class AdminServer(
    IPEndPoint address,
    HealthState health,
    SidecarMetrics metrics,
    IMappingSource mappings,
    TimeProvider timeProvider,
    ILogger<AdminServer> logger) : IComponent
{
    private readonly AdminRoutes _routes = new(health, metrics, mappings);
    private HttpServer? _server;

    public string Name => "admin endpoint";

    /// <summary>The bound address (with the real port when the configured port was 0).</summary>
    public IPEndPoint? LocalEndPoint => _server?.LocalEndPoint;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _server = new HttpServer(address, _routes.Handle, timeProvider, logger, metrics.AdminConnections);
        }
        catch (SocketException e)
        {
            throw new StartupException(
                $"cannot serve the admin endpoint on {address}: {e.Message}. Free the port, choose another with --admin-addr, or disable it with --admin-addr \"\"", e);
        }
        _server.Start();
        LogListening(_server.LocalEndPoint.ToString());
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);
}
