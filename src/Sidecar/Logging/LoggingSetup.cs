using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Sidecar.Configuration;

namespace Sidecar.Logging;

/// <summary>Builds the console logger factory. Dispose it before exit: the console logger writes from a queue.</summary>
internal static class LoggingSetup
{
    public static ILoggerFactory Create(LogFormat format, LogLevel level) =>
        LoggerFactory.Create(builder =>
        {
            builder.SetMinimumLevel(level);
            if (format == LogFormat.Json)
            {
                builder.AddJsonConsole(options =>
                {
                    options.UseUtcTimestamp = true;
                    options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                    // The default encoder escapes '+' and non-ASCII; log shippers read UTF-8 JSON fine.
                    options.JsonWriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
                });
            }
            else
            {
                builder.AddSimpleConsole(options =>
                {
                    options.SingleLine = true;
                    options.UseUtcTimestamp = true;
                    options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                    options.ColorBehavior = LoggerColorBehavior.Disabled;
                });
            }
        });
}
