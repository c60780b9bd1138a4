using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Sidecar.Tunnels.Frpc;

/// <summary>Starting and ending one frpc process; the supervisor decides when.</summary>
internal static class FrpcProcess
{
    /// <summary>SIGKILL cannot be ignored; this only bounds the wait in case the kernel is slow to reap.</summary>
    private static readonly TimeSpan ReapTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Starts <c>frpc -c CONFIG</c>, its stdout and stderr lines handed to <paramref name="onLine"/>.</summary>
    public static Process Start(string frpcPath, string configPath, string workingDirectory, Action<string> onLine)
    {
        // Only the config path goes on the command line: secrets stay in the 0600 file, out of ps(1).
        var info = new ProcessStartInfo(frpcPath)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(configPath);
        // Our settings may arrive as SIDECAR_* variables, the frp token among them: not for the child.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("SIDECAR_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }
        // Nor our empty system trust store: frpc may need the system's CAs (an OIDC issuer over HTTPS).
        Discovery.Kubernetes.SystemTrustStore.RestoreFor(info.Environment);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Forward(e.Data, onLine);
        process.ErrorDataReceived += (_, e) => Forward(e.Data, onLine);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Forward(string? line, Action<string> onLine)
    {
        if (!string.IsNullOrEmpty(line))
        {
            onLine(line);
        }
    }

    /// <summary>SIGTERM, then SIGKILL if it has not exited when <paramref name="grace"/> fires.</summary>
    /// <returns>True when it had to be killed.</returns>
    public static async Task<bool> TerminateAsync(Process process, TimeProvider time, CancellationToken grace)
    {
        if (process.HasExited)
        {
            return false;
        }
        Posix.Signal(process.Id, Posix.SigTerm);
        try
        {
            await process.WaitForExitAsync(grace).ConfigureAwait(false);
            return false;
        }
        catch (OperationCanceledException)
        {
        }
        try
        {
            process.Kill();
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        using var reap = new CancellationTokenSource(ReapTimeout, time);
        try
        {
            await process.WaitForExitAsync(reap.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        return true;
    }

    /// <summary>
    /// A port the kernel reports free on 127.0.0.1; frpc binds it a moment later. Should another process
    /// take it in between, frpc exits and its restart picks a new port.
    /// </summary>
    public static int FreeLoopbackPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
