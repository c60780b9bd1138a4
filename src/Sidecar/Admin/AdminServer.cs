using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Sidecar.Hosting;
using Sidecar.Observability;

namespace Sidecar.Admin;

/// <summary>
/// The operator's HTTP endpoint: /healthz, /readyz, /metrics, /debug/mappings. The BCL's HttpListener
/// costs ~0.2 MB of binary next to the HttpClient we already carry, so no hand-written server.
/// GET only, no request bodies; responses are small and built in memory.
/// </summary>
internal sealed partial class AdminServer(
    IPEndPoint address,
    HealthState health,
    SidecarMetrics metrics,
    IMappingSource mappings,
    ILogger<AdminServer> logger) : IComponent
{
    private readonly HttpListener _listener = new();
    private Task? _loop;

    public string Name => "admin endpoint";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var host = address.Address.Equals(IPAddress.Any) || address.Address.Equals(IPAddress.IPv6Any)
            ? "*"
            : address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address.Address}]" : address.Address.ToString();
        _listener.Prefixes.Add($"http://{host}:{address.Port}/");
        try
        {
            _listener.Start();
        }
        catch (HttpListenerException e)
        {
            throw new StartupException(
                $"cannot serve the admin endpoint on {address}: {e.Message}. Free the port, choose another with --admin-addr, or disable it with --admin-addr \"\"", e);
        }
        LogListening(address.ToString());
        _loop = Task.Run(AcceptLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task AcceptLoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }
            try
            {
                Handle(context);
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                LogClientError(e.Message); // a client that went away is not our problem
            }
        }
    }

    private void Handle(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        if (request.HttpMethod != "GET")
        {
            response.AddHeader("Allow", "GET");
            Respond(response, 405, "text/plain; charset=utf-8", "method not allowed\n");
            return;
        }
        if (request.HasEntityBody)
        {
            Respond(response, 413, "text/plain; charset=utf-8", "GET takes no body\n");
            return;
        }

        switch (request.Url?.AbsolutePath)
        {
            case "/healthz":
                var stopped = health.Stopped;
                Respond(response, stopped is null ? 200 : 503, "text/plain; charset=utf-8", stopped is null ? "ok\n" : $"{stopped}\n");
                break;
            case "/readyz":
                Respond(response, health.IsReady ? 200 : 503, "text/plain; charset=utf-8", ReadinessText());
                break;
            case "/metrics":
                Respond(response, 200, PrometheusTextWriter.ContentType, PrometheusTextWriter.Write(metrics));
                break;
            case "/debug/mappings":
                Respond(response, 200, "application/json; charset=utf-8",
                    JsonSerializer.Serialize(mappings.GetMappings(), AdminJsonContext.Default.IReadOnlyListMappingView));
                break;
            default:
                Respond(response, 404, "text/plain; charset=utf-8", "not found; try /healthz /readyz /metrics /debug/mappings\n");
                break;
        }
    }

    private string ReadinessText() => health.IsReady
        ? "ready\n"
        : $"not ready: dns bound={health.IsDnsBound}, first sync done={health.HasSynced}\n";

    private static void Respond(HttpListenerResponse response, int status, string contentType, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength64 = bytes.Length;
        response.KeepAlive = false;
        response.OutputStream.Write(bytes);
        response.Close();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_listener.IsListening)
        {
            _listener.Stop();
        }
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync()
    {
        _listener.Close();
        return ValueTask.CompletedTask;
    }
}
