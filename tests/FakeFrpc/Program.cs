using System.Runtime.InteropServices;

namespace FakeFrpc;

/// <summary>
/// Stand-in for frpc (tests only): <c>FakeFrpc -c FILE</c> reads frpc's TOML strictly, serves the admin API
/// (<c>/healthz</c>, <c>/api/reload</c>) and runs each visitor as a local listener that relays to a test
/// backend named in <c>fake-backends.txt</c> next to the config (lines <c>serverName=host:port</c>) or in
/// FAKEFRPC_BACKENDS (<c>name=host:port,…</c>). A file <c>fake-ignore-sigterm</c> there makes it ignore SIGTERM;
/// a server port listed in <c>fake-exit-ports.txt</c> there makes it exit 1 at once (a crash loop).
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var index = Array.IndexOf(args, "-c");
        if (index < 0 || index + 1 >= args.Length)
        {
            Log.Error("usage: FakeFrpc -c FILE");
            return 1;
        }
        var path = args[index + 1];
        var (config, error) = FakeConfigReader.Read(path);
        if (config is null)
        {
            Log.Error($"config file {path} is invalid: {error}");
            return 1;
        }

        using var stopping = new CancellationTokenSource();
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (FailsLogin(directory, config.ServerPort))
        {
            // Test hook: a server port listed in fake-exit-ports.txt acts like frpc failing for good.
            Log.Error($"login to the server {config.ServerAddr}:{config.ServerPort} failed (stand-in: fake-exit-ports.txt)");
            return 1;
        }
        var ignoreTerm = File.Exists(Path.Combine(directory, "fake-ignore-sigterm"));
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            if (ignoreTerm)
            {
                Log.Info("SIGTERM ignored (fake-ignore-sigterm)");
                return;
            }
            stopping.Cancel();
        });

        var visitors = new VisitorHost(new BackendMap(directory));
        AdminServer admin;
        try
        {
            admin = AdminServer.Start(config.WebServer, path, visitors);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            Log.Error($"admin server listen error: {e.Message}");
            return 1;
        }
        Log.Info($"start frpc service for config file [{path}] (stand-in, server {config.ServerAddr}:{config.ServerPort})");
        visitors.Apply(config.Visitors);
        try
        {
            await Task.Delay(Timeout.Infinite, stopping.Token);
        }
        catch (OperationCanceledException)
        {
        }
        admin.Dispose();
        visitors.Apply([]);
        Log.Info("exit");
        return 0;
    }

    private static bool FailsLogin(string directory, int serverPort)
    {
        var file = Path.Combine(directory, "fake-exit-ports.txt");
        return File.Exists(file) && File.ReadAllLines(file).Any(l => l.Trim() == serverPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
