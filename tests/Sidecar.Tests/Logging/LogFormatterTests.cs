using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Time.Testing;
using Sidecar.Logging;

namespace Sidecar.Tests.Logging;

/// <summary>
/// The two log formats keep the lines the built-in console formatters wrote before the logger was built without
/// dependency injection (simple: <c>SingleLine</c>, UTC, no colours; json: the same members), one entry per line.
/// </summary>
public sealed class LogFormatterTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero));

    [Fact]
    public void SingleLine_Entry_MatchesTheBuiltInSimpleSingleLineLayout()
    {
        var line = Format(new SingleLineFormatter(Clock), LogLevel.Warning, 4152, "Sidecar.Discovery.Files.FileSource", "Cannot read {Path}", "/tmp/x.yaml");

        Assert.Equal("2026-01-02T03:04:05.678Z warn: Sidecar.Discovery.Files.FileSource[4152] Cannot read /tmp/x.yaml\n", line);
    }

    [Theory]
    [InlineData(LogLevel.Trace, "trce")]
    [InlineData(LogLevel.Debug, "dbug")]
    [InlineData(LogLevel.Information, "info")]
    [InlineData(LogLevel.Error, "fail")]
    [InlineData(LogLevel.Critical, "crit")]
    public void SingleLine_Level_IsTheFourLetterName(LogLevel level, string expected)
    {
        var line = Format(new SingleLineFormatter(Clock), level, 1, "C", "m");

        Assert.Contains($" {expected}: C[1] m", line);
    }

    [Fact]
    public void SingleLine_MessageAndExceptionWithLineBreaks_StayOnOneLine()
    {
        var exception = new InvalidOperationException("first\nsecond");
        var line = Format(new SingleLineFormatter(Clock), LogLevel.Error, 7, "C", "a\r\nb\nc", exception: exception);

        Assert.EndsWith("\n", line);
        Assert.DoesNotContain('\n', line[..^1]);
        Assert.DoesNotContain('\r', line);
        Assert.Contains("C[7] a b c System.InvalidOperationException: first second", line);
    }

    [Fact]
    public void Json_Entry_HasTheBuiltInMembersAndTypedStateValues()
    {
        var line = Format(new JsonLineFormatter(Clock), LogLevel.Information, 1007, "Sidecar.Hosting.SidecarHost",
            "Stopped in {ElapsedMs} ms (clean: {Clean}, {Name})", 12.5, true, "ünïcode \"quoted\"");

        Assert.EndsWith("\n", line);
        Assert.DoesNotContain('\n', line[..^1]);
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        Assert.Equal("2026-01-02T03:04:05.678Z", root.GetProperty("Timestamp").GetString());
        Assert.Equal(1007, root.GetProperty("EventId").GetInt32());
        Assert.Equal("Information", root.GetProperty("LogLevel").GetString());
        Assert.Equal("Sidecar.Hosting.SidecarHost", root.GetProperty("Category").GetString());
        Assert.Equal("Stopped in 12.5 ms (clean: True, ünïcode \"quoted\")", root.GetProperty("Message").GetString());
        var state = root.GetProperty("State");
        Assert.Equal(12.5, state.GetProperty("ElapsedMs").GetDouble());
        Assert.Equal(JsonValueKind.True, state.GetProperty("Clean").ValueKind);
        Assert.Equal("Stopped in {ElapsedMs} ms (clean: {Clean}, {Name})", state.GetProperty("{OriginalFormat}").GetString());
        Assert.False(root.TryGetProperty("Exception", out _));
        Assert.Contains("ünïcode", line); // UTF-8, not \u escapes
    }

    [Fact]
    public void Json_Exception_IsAMember()
    {
        var line = Format(new JsonLineFormatter(Clock), LogLevel.Error, 2, "C", "failed", exception: new IOException("disk\ngone"));

        using var doc = JsonDocument.Parse(line);
        Assert.StartsWith("System.IO.IOException: disk\ngone", doc.RootElement.GetProperty("Exception").GetString());
    }

    [Fact]
    public void Create_BothFormats_GiveALoggerThatHonoursTheMinimumLevel()
    {
        foreach (var format in new[] { Sidecar.Configuration.LogFormat.Simple, Sidecar.Configuration.LogFormat.Json })
        {
            using var factory = LoggingSetup.Create(format, LogLevel.Warning, Clock);
            var logger = factory.CreateLogger("C");
            Assert.False(logger.IsEnabled(LogLevel.Information));
            Assert.True(logger.IsEnabled(LogLevel.Warning));
        }
    }

    private static string Format(ConsoleFormatter formatter, LogLevel level, int eventId, string category, string template,
        params object?[] args) => Format(formatter, level, eventId, category, template, null, args);

    private static string Format(ConsoleFormatter formatter, LogLevel level, int eventId, string category, string template,
        Exception? exception, params object?[] args)
    {
        // FormattedLogValues is what ILogger.Log(level, template, args) passes: the same state shape as [LoggerMessage].
        var state = new FormattedState(template, args);
        var entry = new LogEntry<FormattedState>(level, category, new EventId(eventId), state, exception, (s, _) => s.ToString());
        using var writer = new StringWriter();
        formatter.Write(entry, null, writer);
        return writer.ToString();
    }

    /// <summary>Named values plus {OriginalFormat}, formatted like LoggerMessage's own state.</summary>
    private sealed class FormattedState(string template, object?[] args) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly List<KeyValuePair<string, object?>> _values = Parse(template, args);

        public int Count => _values.Count;

        public KeyValuePair<string, object?> this[int index] => _values[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _values.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString()
        {
            var text = template;
            foreach (var (key, value) in _values.Where(v => v.Key != "{OriginalFormat}"))
            {
                text = text.Replace("{" + key + "}", Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
            }
            return text;
        }

        private static List<KeyValuePair<string, object?>> Parse(string template, object?[] args)
        {
            var names = System.Text.RegularExpressions.Regex.Matches(template, @"\{(\w+)\}").Select(m => m.Groups[1].Value).ToList();
            var values = names.Select((name, i) => new KeyValuePair<string, object?>(name, args[i])).ToList();
            values.Add(new("{OriginalFormat}", template));
            return values;
        }
    }
}
