using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Sidecar.Discovery.Kubernetes;

/// <summary>
/// A kubeconfig <c>user.exec</c> credential plugin (client-go's "client-go credential plugins"): the command prints
/// an <c>ExecCredential</c> whose <c>status</c> holds a token and/or a client certificate and key (PEM), with an
/// optional <c>expirationTimestamp</c>. The token is fetched again 30 s before it expires; one without an expiry
/// is kept for good.
/// </summary>
internal sealed class ExecCredentialPlugin(ExecCredentialPlugin.Spec spec, TimeProvider time) : IKubeTokenProvider
{
    /// <summary>The plugin's stdout beyond this is refused: an ExecCredential is a few KB.</summary>
    private const int MaxOutputChars = 1024 * 1024;

    private static readonly TimeSpan RenewBefore = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Credential? _current;

    public sealed record Spec(string Command, IReadOnlyList<string> Args, IReadOnlyList<KeyValuePair<string, string>> Env, string ApiVersion);

    public sealed record Credential(string? Token, string? ClientCertificatePem, string? ClientKeyPem, DateTimeOffset? Expires);

    /// <summary>Runs the plugin once; later tokens come from <see cref="GetAuthenticationHeaderAsync"/>.</summary>
    /// <exception cref="KubeConfigException">The plugin could not run or printed no usable credential.</exception>
    public Credential Start() => _current = Run();

    public async Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_current?.Token is null || _current.Expires is { } expires && time.GetUtcNow() + RenewBefore >= expires)
            {
                _current = await Task.Run(Run, cancellationToken).ConfigureAwait(false);
            }
            return new AuthenticationHeaderValue("Bearer", _current.Token);
        }
        finally
        {
            _gate.Release();
        }
    }

    private Credential Run()
    {
        var start = new ProcessStartInfo(spec.Command) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in spec.Args)
        {
            start.ArgumentList.Add(arg);
        }
        // What the plugin may read about its caller; a sidecar never has a terminal to prompt on.
        start.Environment["KUBERNETES_EXEC_INFO"] =
            $$$"""{"apiVersion":"{{{JsonEncodedText.Encode(spec.ApiVersion)}}}","kind":"ExecCredential","spec":{"interactive":false}}""";
        foreach (var (name, value) in spec.Env)
        {
            start.Environment[name] = value;
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new KubeConfigException($"credential plugin {spec.Command} did not start");
        }
        catch (Win32Exception e)
        {
            throw new KubeConfigException($"cannot run credential plugin {spec.Command}: {e.Message}", e);
        }
        using (process)
        {
            var output = Task.Run(() => ReadBounded(process.StandardOutput));
            if (!process.WaitForExit(Timeout) || !output.Wait(Timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new KubeConfigException($"credential plugin {spec.Command} did not finish within {Timeout.TotalSeconds:0} s");
            }
            if (process.ExitCode != 0)
            {
                throw new KubeConfigException($"credential plugin {spec.Command} exited with code {process.ExitCode}");
            }
            return Parse(output.Result ?? throw new KubeConfigException($"credential plugin {spec.Command} printed more than {MaxOutputChars} characters"));
        }
    }

    private static string? ReadBounded(StreamReader reader)
    {
        var buffer = new char[MaxOutputChars + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = reader.Read(buffer, total, buffer.Length - total)) > 0)
        {
            total += read;
        }
        if (total > MaxOutputChars)
        {
            reader.BaseStream.CopyTo(Stream.Null); // let the plugin finish writing and exit
            return null;
        }
        return new string(buffer, 0, total);
    }

    /// <exception cref="KubeConfigException">Not an ExecCredential of the configured apiVersion with a token or a certificate.</exception>
    internal Credential Parse(string output)
    {
        try
        {
            using var document = JsonDocument.Parse(output);
            var root = document.RootElement;
            var apiVersion = KubeConfigJson.Text(root, "apiVersion");
            if (apiVersion != spec.ApiVersion)
            {
                throw new KubeConfigException($"credential plugin {spec.Command} answered apiVersion {apiVersion ?? "(none)"}, not {spec.ApiVersion}");
            }
            var status = KubeConfigJson.Object(root, "status")
                ?? throw new KubeConfigException($"credential plugin {spec.Command} printed no status");
            var token = KubeConfigJson.Text(status, "token");
            var certificate = KubeConfigJson.Text(status, "clientCertificateData");
            var key = KubeConfigJson.Text(status, "clientKeyData");
            var expiry = KubeConfigJson.Text(status, "expirationTimestamp");
            if (string.IsNullOrEmpty(token) && (string.IsNullOrEmpty(certificate) || string.IsNullOrEmpty(key)))
            {
                throw new KubeConfigException($"credential plugin {spec.Command} printed neither a token nor a client certificate and key");
            }
            DateTimeOffset? expires = expiry is null ? null
                : DateTimeOffset.Parse(expiry, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            return new Credential(string.IsNullOrEmpty(token) ? null : token, certificate, key, expires);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new KubeConfigException($"credential plugin {spec.Command} printed no valid ExecCredential: {e.Message}", e);
        }
    }
}
