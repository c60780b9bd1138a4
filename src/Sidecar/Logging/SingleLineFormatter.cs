using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Sidecar.Logging;

/// <summary>
/// <c>--log-format simple</c>: one line per entry, as the built-in simple formatter writes it with
/// <c>SingleLine</c>, UTC timestamps and no colours:
/// <c>2026-01-02T03:04:05.678Z info: Category[EventId] message exception</c>. Line breaks inside the message or
/// the exception become spaces, so a line is always one entry.
/// </summary>
internal sealed class SingleLineFormatter(TimeProvider clock) : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "sidecar-simple";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }
        // Compiled once per message type (every [LoggerMessage] state is its own struct): only the unpacking is generic.
        Write(logEntry.EventId.Id, logEntry.LogLevel, logEntry.Category, message, logEntry.Exception, textWriter);
    }

    private void Write(int eventId, LogLevel level, string category, string? message, Exception? exception, TextWriter textWriter)
    {
        Span<char> stamp = stackalloc char[LogTimestamp.Length];
        textWriter.Write(LogTimestamp.Format(clock.GetUtcNow(), stamp));
        textWriter.Write(' ');
        textWriter.Write(ShortLevel(level));
        textWriter.Write(": ");
        textWriter.Write(category);
        textWriter.Write('[');
        textWriter.Write(eventId.ToString(CultureInfo.InvariantCulture));
        textWriter.Write(']');
        WriteOnOneLine(textWriter, message);
        WriteOnOneLine(textWriter, exception?.ToString());
        textWriter.Write('\n');
    }

    private static void WriteOnOneLine(TextWriter writer, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }
        writer.Write(' ');
        var rest = text.AsSpan();
        int lineBreak;
        while ((lineBreak = rest.IndexOfAny('\r', '\n')) >= 0)
        {
            writer.Write(rest[..lineBreak]);
            writer.Write(' ');
            // "\r\n" is one break, as Environment.NewLine was on the platform that wrote it.
            rest = rest[(rest[lineBreak] == '\r' && lineBreak + 1 < rest.Length && rest[lineBreak + 1] == '\n' ? lineBreak + 2 : lineBreak + 1)..];
        }
        writer.Write(rest);
    }

    private static string ShortLevel(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}
