using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Sidecar.Tests.Support;

/// <summary>Keeps every log line (event id, level, text) so tests can assert on what an operator would see.</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(int EventId, LogLevel Level, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((eventId.Id, logLevel, formatter(state, exception)));

    public int Count(int eventId) => Entries.Count(e => e.EventId == eventId);

    public string All => string.Join("\n", Entries.Select(e => $"[{e.EventId}] {e.Message}"));
}
