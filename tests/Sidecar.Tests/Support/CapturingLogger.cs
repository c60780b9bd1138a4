using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Sidecar.Tests.Support;

/// <summary>One captured log line: what an operator would see, with the event id tests key on.</summary>
internal readonly record struct CapturedLog(int EventId, LogLevel Level, string Category, string Message, Exception? Exception)
{
    public override string ToString() => $"{Level} {EventId} {Category}: {Message} {Exception}";
}

/// <summary>Keeps every log line (event id, level, text) so tests can assert on what an operator would see.</summary>
internal class CapturingLogger(string category, ConcurrentQueue<CapturedLog> entries) : ILogger
{
    public ConcurrentQueue<CapturedLog> Entries { get; } = entries;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue(new CapturedLog(eventId.Id, logLevel, category, formatter(state, exception), exception));

    public int Count(int eventId) => Entries.Count(e => e.EventId == eventId);

    public string All => string.Join("\n", Entries.Select(e => $"[{e.EventId}] {e.Message}"));
}

/// <summary>The logger a component of type <typeparamref name="T"/> is given, capturing into its own list.</summary>
internal sealed class CapturingLogger<T>() : CapturingLogger(typeof(T).Name, new ConcurrentQueue<CapturedLog>()), ILogger<T>;

/// <summary>Captures the lines of every logger it makes into one list, so tests can look for (and for secrets, the absence of) text.</summary>
internal sealed class CapturingLoggerFactory : ILoggerFactory
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    public IReadOnlyList<string> Lines => [.. _entries.Select(e => e.ToString())];

    public bool Contains(string text) => _entries.Any(e => e.ToString().Contains(text, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, _entries);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }
}
