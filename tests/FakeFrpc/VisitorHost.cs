namespace FakeFrpc;

/// <summary>Runs the visitors of the current config; a reload keeps those whose settings are unchanged.</summary>
internal sealed class VisitorHost(BackendMap backends)
{
    private readonly Dictionary<string, (VisitorSettings Settings, IDisposable Running)> _running = [];

    public void Apply(IReadOnlyList<VisitorSettings> visitors)
    {
        lock (_running)
        {
            var wanted = visitors.ToDictionary(v => v.Name, StringComparer.Ordinal);
            foreach (var (name, (settings, running)) in _running.ToList())
            {
                if (!wanted.TryGetValue(name, out var next) || next != settings)
                {
                    running.Dispose();
                    _running.Remove(name);
                    Log.Info($"[{name}] visitor stopped");
                }
            }
            foreach (var visitor in visitors)
            {
                if (_running.ContainsKey(visitor.Name) || visitor.BindPort == -1)
                {
                    continue; // unchanged, or a fallback-only visitor that never listens
                }
                try
                {
                    IDisposable running = visitor.Type == "sudp" ? new UdpVisitor(visitor, backends) : new TcpVisitor(visitor, backends);
                    _running[visitor.Name] = (visitor, running);
                    Log.Info($"[{visitor.Name}] start visitor on {visitor.BindAddr}:{visitor.BindPort} for {visitor.ServerName}");
                }
                catch (System.Net.Sockets.SocketException e)
                {
                    // frpc retries a failed visitor bind later; the stand-in only reports it.
                    Log.Warn($"[{visitor.Name}] start visitor error: {e.Message}");
                }
            }
        }
    }
}
