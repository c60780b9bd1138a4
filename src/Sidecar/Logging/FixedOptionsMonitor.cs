using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Sidecar.Logging;

/// <summary>Console logger options that never change: the settings are read once, at start.</summary>
internal sealed class FixedOptionsMonitor(ConsoleLoggerOptions options) : IOptionsMonitor<ConsoleLoggerOptions>
{
    public ConsoleLoggerOptions CurrentValue => options;

    public ConsoleLoggerOptions Get(string? name) => options;

    public IDisposable? OnChange(Action<ConsoleLoggerOptions, string?> listener) => null;
}
