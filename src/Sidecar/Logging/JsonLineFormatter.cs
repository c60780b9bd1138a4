using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Sidecar.Logging;

/// <summary>
/// <c>--log-format json</c>: one JSON object per line with the members the built-in JSON formatter writes
/// (Timestamp, EventId, LogLevel, Category, Message, Exception, and State: the message's named values), so log
/// shippers that parse it keep working. Non-ASCII is written as UTF-8, not escaped.
/// </summary>
internal sealed class JsonLineFormatter(TimeProvider clock) : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "sidecar-json";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Loggers format on the calling thread; each thread reuses its own buffer and writer.
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    // Compiled once per message type (every [LoggerMessage] state is its own struct): only the unpacking is generic.
    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }
        Write(logEntry.EventId.Id, logEntry.LogLevel, logEntry.Category, message, logEntry.Exception,
            logEntry.State as IReadOnlyCollection<KeyValuePair<string, object?>>, textWriter);
    }

    private void Write(int eventId, LogLevel level, string category, string? message, Exception? exception,
        IReadOnlyCollection<KeyValuePair<string, object?>>? values, TextWriter textWriter)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var json = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        json.Reset(buffer);

        json.WriteStartObject();
        Span<char> stamp = stackalloc char[LogTimestamp.Length];
        json.WriteString("Timestamp", LogTimestamp.Format(clock.GetUtcNow(), stamp));
        json.WriteNumber("EventId", eventId);
        json.WriteString("LogLevel", level.ToString());
        json.WriteString("Category", category);
        json.WriteString("Message", message);
        if (exception is not null)
        {
            json.WriteString("Exception", exception.ToString());
        }
        if (values is not null)
        {
            json.WriteStartObject("State");
            foreach (var (key, value) in values)
            {
                WriteValue(json, key, value);
            }
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.Flush();

        textWriter.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        textWriter.Write('\n');
        if (buffer.Capacity > 64 * 1024)
        {
            // One huge entry (an exception with a deep trace) must not pin its buffer on this thread forever.
            t_buffer = null;
            t_writer = null;
        }
    }

    private static void WriteValue(Utf8JsonWriter json, string key, object? value)
    {
        switch (value)
        {
            case null: json.WriteNull(key); break;
            case bool b: json.WriteBoolean(key, b); break;
            case int i: json.WriteNumber(key, i); break;
            case long l: json.WriteNumber(key, l); break;
            case ulong u: json.WriteNumber(key, u); break;
            case double d: json.WriteNumber(key, d); break;
            default: json.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }
}
