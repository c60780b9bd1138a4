using System.Text;
using Microsoft.Extensions.Logging;
using Sidecar.Configuration;
using Sidecar.Hosting;
using Sidecar.Logging;

namespace Sidecar.Injection;

/// <summary>
/// <c>sidecar inject</c>: the same binary as the mutating admission webhook that adds the sidecar to Pods, so
/// one image serves both roles. Exit codes as the sidecar's: 0 clean, 1 start-up failure, 2 bad setting.
/// </summary>
internal static partial class InjectCommand
{
    public const string Name = "inject";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        InjectorOptions options;
        string certificateFile, keyFile;
        System.Net.IPEndPoint listen;
        LogFormat logFormat;
        LogLevel logLevel;
        try
        {
            var commandLine = CommandLine.Parse(args, InjectSettingCatalog.All);
            if (commandLine.ShowHelp)
            {
                Console.Out.Write(Help());
                return ExitCodes.Ok;
            }
            var source = new SettingSource(commandLine, environment);
            certificateFile = source.Get(InjectSettingCatalog.TlsCertFile) ?? throw Required(InjectSettingCatalog.TlsCertFile);
            keyFile = source.Get(InjectSettingCatalog.TlsKeyFile) ?? throw Required(InjectSettingCatalog.TlsKeyFile);
            listen = source.Get(InjectSettingCatalog.ListenAddr);
            options = new InjectorOptions
            {
                Image = source.Get(InjectSettingCatalog.Image),
                ClusterDomain = source.Get(InjectSettingCatalog.ClusterDomain),
                ClusterDns = source.Get(InjectSettingCatalog.ClusterDns).ToString(),
                DefaultIpRange = source.Get(InjectSettingCatalog.DefaultIpRange).ToString(),
                AllowOnError = source.Get(InjectSettingCatalog.AllowOnError),
                Port53 = source.Get(InjectSettingCatalog.Port53),
                Resources = Validated(new SidecarResources(source.Get(InjectSettingCatalog.CpuRequest), source.Get(InjectSettingCatalog.MemoryRequest),
                    source.Get(InjectSettingCatalog.CpuLimit), source.Get(InjectSettingCatalog.MemoryLimit))),
            };
            logFormat = source.Get(SettingCatalog.LogFormat);
            logLevel = source.Get(SettingCatalog.LogLevel);
        }
        catch (SettingsException e)
        {
            Console.Error.WriteLine($"sidecar inject: {e.Message}");
            return ExitCodes.BadSettings;
        }

        using var signal = new ShutdownSignal();
        using var loggerFactory = LoggingSetup.Create(logFormat, logLevel);
        var logger = loggerFactory.CreateLogger("Sidecar.Injection");
        ServingCertificate certificate;
        try
        {
            certificate = new ServingCertificate(certificateFile, keyFile, TimeProvider.System, reason => LogReloadFailed(logger, reason));
        }
        catch (FormatException e)
        {
            LogStartFailed(logger, e.Message);
            return ExitCodes.StartupFailed;
        }
        using (certificate)
        {
            await using var server = new WebhookServer(listen, certificate, new AdmissionHandler(options), TimeProvider.System, logger);
            server.Start();
            LogListening(logger, server.LocalEndPoint.ToString(), options.Image);
            try
            {
                await Task.Delay(Timeout.Infinite, signal.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // SIGTERM: admissions in flight are answered, then the API server's next connection goes to
                // the other replica (2 replicas; deploy/injector's preStop sleep lets the Service stop
                // sending new connections here first).
                await server.StopAsync(WebhookServer.BodyTimeout).ConfigureAwait(false);
            }
        }
        return ExitCodes.Ok;
    }

    private static SidecarResources Validated(SidecarResources resources)
    {
        try
        {
            return resources.Validated();
        }
        catch (FormatException e)
        {
            throw new SettingsException($"{e.Message}: the API server would refuse every patched Pod (--cpu-request, --cpu-limit, --memory-request, --memory-limit)");
        }
    }

    private static SettingsException Required(SettingDescriptor setting) =>
        new($"{setting.FlagText} (or {setting.Env}) is required: {setting.Expected}");

    public static string Help()
    {
        var text = new StringBuilder();
        text.AppendLine("Usage: sidecar inject [--flag value | --flag=value]...");
        text.AppendLine("Serves the mutating admission webhook that injects the sidecar into Pods (see docs/injection.md).");
        text.AppendLine("Each setting is taken from its flag, else its environment variable, else its default.");
        text.AppendLine();
        foreach (var setting in InjectSettingCatalog.All)
        {
            text.Append("  ").Append(setting.FlagText.PadRight(24)).Append(' ').AppendLine(setting.Help);
            text.Append(' ', 27).Append("env ").Append(setting.Env).Append("; default ").AppendLine(setting.DefaultText);
        }
        text.AppendLine();
        text.AppendLine("Pod annotations: sidecar.kubeinfra.io/inject: \"true\" selects a Pod; sidecar.kubeinfra.io/<flag> sets that");
        text.AppendLine("sidecar flag (e.g. mapped-services, ip-range, dns-miss), checked as the flag is.");
        text.AppendLine();
        text.AppendLine("Exit codes: 0 clean shutdown, 1 start-up failure, 2 bad setting.");
        return text.ToString();
    }

    [LoggerMessage(InjectionEventIds.Listening, LogLevel.Information, "Injection webhook listening on https://{Address}, injecting {Image}")]
    private static partial void LogListening(ILogger logger, string address, string image);

    [LoggerMessage(InjectionEventIds.StartFailed, LogLevel.Critical, "Injection webhook cannot start: {Reason}")]
    private static partial void LogStartFailed(ILogger logger, string reason);

    [LoggerMessage(InjectionEventIds.CertificateReloadFailed, LogLevel.Warning, "Serving certificate not reloaded, the previous one still serves: {Reason}")]
    private static partial void LogReloadFailed(ILogger logger, string reason);
}
