using System.Net;
using Microsoft.Extensions.Logging;
using Sidecar.Configuration;
using Sidecar.Hosting;
using Sidecar.Logging;

namespace Sidecar;

internal static partial class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is [Injection.InjectCommand.Name, .. var injectArgs])
        {
            return await Injection.InjectCommand.RunAsync(injectArgs, Environment.GetEnvironmentVariable).ConfigureAwait(false);
        }
        Settings settings;
        try
        {
            var commandLine = CommandLine.Parse(args);
            if (commandLine.ShowHelp)
            {
                Console.Out.Write(HelpText.Build(VersionInfo.Current));
                return ExitCodes.Ok;
            }
            if (commandLine.ShowVersion)
            {
                Console.Out.WriteLine($"sidecar {VersionInfo.Current}");
                return ExitCodes.Ok;
            }
            settings = SettingsLoader.Load(commandLine, Environment.GetEnvironmentVariable,
                ResolvConf.Load(ResolvConf.DefaultPath));
        }
        catch (SettingsException e)
        {
            Console.Error.WriteLine($"sidecar: {e.Message}");
            return ExitCodes.BadSettings;
        }

        using var signal = new ShutdownSignal();
        // Disposed last, so queued log lines are flushed before exit.
        using var loggerFactory = LoggingSetup.Create(settings.LogFormat, settings.LogLevel);
        var logger = loggerFactory.CreateLogger("Sidecar");
        LogStarting(logger, VersionInfo.Current, SettingsSummary.Describe(settings));
        foreach (var warning in settings.Warnings)
        {
            LogSettingWarning(logger, warning);
        }
        if (!IsLoopback(settings.IpRange))
        {
            LogNonLoopbackRange(logger, settings.IpRange.ToString());
        }
        // Before any socket: the connection caps of DNS over TCP and the admin endpoint assume more than 1,024.
        var (before, after) = DescriptorLimit.RaiseSoftToHard();
        LogDescriptorLimit(logger, before, after);

        // For the whole run: the young generation stays small once allocation slows to a trickle (the watch's
        // steady state); start-up itself allocates far more than the cap within the first check.
        using var youngGeneration = Resilience.YoungGenerationCap.Start(TimeProvider.System);
        var host = Composition.Build(settings, loggerFactory, TimeProvider.System);
        return await host.RunAsync(signal.Token).ConfigureAwait(false);
    }

    private static bool IsLoopback(IPNetwork range) =>
        IPNetwork.Parse("127.0.0.0/8").Contains(range.BaseAddress) && range.PrefixLength >= 8
        || range.BaseAddress.Equals(IPAddress.IPv6Loopback) && range.PrefixLength == 128;

    [LoggerMessage(HostingEventIds.ProcessStarting, LogLevel.Information, "sidecar {Version} starting: {Settings}")]
    private static partial void LogStarting(ILogger logger, string version, string settings);

    [LoggerMessage(HostingEventIds.NonLoopbackRange, LogLevel.Warning, "ip-range {Range} is outside 127.0.0.0/8: its addresses must exist on an interface or connections to them will fail")]
    private static partial void LogNonLoopbackRange(ILogger logger, string range);

    [LoggerMessage(HostingEventIds.SettingWarning, LogLevel.Warning, "setting: {Warning}")]
    private static partial void LogSettingWarning(ILogger logger, string warning);

    [LoggerMessage(HostingEventIds.DescriptorLimit, LogLevel.Debug, "open-file limit (soft): {Before} raised to the hard limit {After}")]
    private static partial void LogDescriptorLimit(ILogger logger, ulong before, ulong after);
}
