using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Sidecar.Logging;

/// <summary>
/// The one logger factory the sidecar needs: every category goes to the console provider at one minimum level.
/// <c>LoggerFactory</c> would, for each category, match filter rules and read the provider's alias attribute
/// by reflection (the first reflection in the process), a few percent of the CPU before the first answer,
/// for rules we never configure. Disposing it flushes the console queue.
/// </summary>
internal sealed class ConsoleLoggerFactory(ConsoleLoggerProvider provider, LogLevel minLevel) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new MinLevelLogger(provider.CreateLogger(categoryName), minLevel);

    public void AddProvider(ILoggerProvider provider) =>
        throw new NotSupportedException("the sidecar logs to the console only");

    public void Dispose() => provider.Dispose();

    private sealed class MinLevelLogger(ILogger console, LogLevel minLevel) : ILogger
    {
        public bool IsEnabled(LogLevel logLevel) => logLevel >= minLevel && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                console.Log(logLevel, eventId, state, exception, formatter);
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => console.BeginScope(state);
    }
}
