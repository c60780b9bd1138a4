using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Sidecar.Configuration;

namespace Sidecar.Logging;

/// <summary>
/// Builds the console logger factory by hand. <c>LoggerFactory.Create</c> goes through a dependency-injection
/// container that closes open generic registrations at run time; under Native AOT that is the type loader
/// building types, which was a third of the process's start-up CPU and pulled the container, options and
/// configuration binding into the binary. The console provider, its queue and its bounds are the same; the
/// factory is our own <see cref="ConsoleLoggerFactory"/>.
/// Dispose the factory before exit: the console logger writes from a queue.
/// </summary>
internal static class LoggingSetup
{
    public static ILoggerFactory Create(LogFormat format, LogLevel level) => Create(format, level, TimeProvider.System);

    public static ILoggerFactory Create(LogFormat format, LogLevel level, TimeProvider clock)
    {
        ConsoleFormatter formatter = format == LogFormat.Json ? new JsonLineFormatter(clock) : new SingleLineFormatter(clock);
        var options = new ConsoleLoggerOptions { FormatterName = formatter.Name };
        var provider = new ConsoleLoggerProvider(new FixedOptionsMonitor(options), [formatter]);
        return new ConsoleLoggerFactory(provider, level);
    }
}
