using System.Net;

namespace FakeFrpc;

/// <summary>
/// Where a visitor's serverName leads in tests: the stand-in for the proxy behind frps. Read on every
/// connection, so a test can change it while the process runs.
/// </summary>
internal sealed class BackendMap(string directory)
{
    public IPEndPoint? Find(string serverName)
    {
        var file = Path.Combine(directory, "fake-backends.txt");
        var lines = File.Exists(file) ? File.ReadAllLines(file) : [];
        var env = (Environment.GetEnvironmentVariable("FAKEFRPC_BACKENDS") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
        foreach (var line in lines.Concat(env))
        {
            var eq = line.IndexOf('=');
            if (eq > 0 && line[..eq].Trim() == serverName && IPEndPoint.TryParse(line[(eq + 1)..].Trim(), out var endPoint))
            {
                return endPoint;
            }
        }
        return null;
    }
}
