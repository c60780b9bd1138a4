using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FakeFrpc;

/// <summary>
/// frpc's admin API, the part the sidecar uses: <c>GET /healthz</c> (no auth) and <c>GET /api/reload</c>
/// (HTTP basic auth; 200 when the file is valid and applied, 400 when it is not). One request per connection.
/// </summary>
internal sealed class AdminServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly WebServerSettings _settings;
    private readonly string _configPath;
    private readonly VisitorHost _visitors;

    private AdminServer(TcpListener listener, WebServerSettings settings, string configPath, VisitorHost visitors)
    {
        _listener = listener;
        _settings = settings;
        _configPath = configPath;
        _visitors = visitors;
    }

    public static AdminServer Start(WebServerSettings settings, string configPath, VisitorHost visitors)
    {
        var listener = new TcpListener(IPAddress.Parse(settings.Addr), settings.Port);
        listener.Start();
        var server = new AdminServer(listener, settings, configPath, visitors);
        _ = server.AcceptLoopAsync();
        return server;
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync();
                _ = HandleAsync(client);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
                var requestLine = await reader.ReadLineAsync() ?? "";
                string? authorization = null;
                string? line;
                while (!string.IsNullOrEmpty(line = await reader.ReadLineAsync()))
                {
                    if (line.StartsWith("Authorization:", StringComparison.OrdinalIgnoreCase))
                    {
                        authorization = line["Authorization:".Length..].Trim();
                    }
                }
                var parts = requestLine.Split(' ');
                var (status, body) = parts.Length >= 2 && parts[0] == "GET" ? Route(parts[1], authorization) : (405, "method not allowed");
                var bytes = Encoding.UTF8.GetBytes(body);
                var head = $"HTTP/1.1 {status} {(status == 200 ? "OK" : "Error")}\r\nContent-Length: {bytes.Length}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
                await stream.WriteAsync(bytes);
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
            }
        }
    }

    private (int Status, string Body) Route(string path, string? authorization)
    {
        if (path == "/healthz")
        {
            return (200, "");
        }
        if (path != "/api/reload")
        {
            return (404, "not found");
        }
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_settings.User}:{_settings.Password}"));
        if (authorization != expected)
        {
            return (401, "unauthorized");
        }
        var (config, error) = FakeConfigReader.Read(_configPath);
        if (config is null)
        {
            Log.Warn($"reload: config invalid: {error}");
            return (400, error ?? "invalid");
        }
        _visitors.Apply(config.Visitors);
        Log.Info("success reload conf");
        return (200, "");
    }

    public void Dispose() => _listener.Stop();
}
