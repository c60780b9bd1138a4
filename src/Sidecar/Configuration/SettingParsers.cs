using System.Net;
using Microsoft.Extensions.Logging;

namespace Sidecar.Configuration;

/// <summary>Parsers of single settings, used by <see cref="SettingCatalog"/>; each throws <see cref="FormatException"/>.</summary>
internal static class SettingParsers
{
    /// <summary>The original bound every interface when its address failed; a wildcard is never accepted.</summary>
    public static IPEndPoint DnsAddr(string value)
    {
        var endpoint = ValueParsers.ParseEndpoint(value, 53);
        return endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any)
            ? throw new FormatException("a wildcard address would serve DNS on every interface")
            : endpoint;
    }

    public static string NonEmpty(string value) =>
        string.IsNullOrWhiteSpace(value) ? throw new FormatException("empty") : value.Trim();

    public static TimeSpan Duration(string value, TimeSpan min, TimeSpan max)
    {
        var duration = ValueParsers.ParseDuration(value);
        return duration >= min && duration <= max ? duration : throw new FormatException("out of range");
    }

    public static DnsMissPolicy MissPolicy(string value) => value.Trim().ToLowerInvariant() switch
    {
        "nxdomain" => DnsMissPolicy.NxDomain,
        "refused" => DnsMissPolicy.Refused,
        "forward" => DnsMissPolicy.Forward,
        _ => throw new FormatException(""),
    };

    public static TunnelEngine Engine(string value) => value.Trim().ToLowerInvariant() switch
    {
        "frpc" => TunnelEngine.Frpc,
        "native" => TunnelEngine.Native,
        _ => throw new FormatException(""),
    };

    public static SourceSpec Source(string value)
    {
        var text = value.Trim();
        if (text.Equals("kubernetes", StringComparison.OrdinalIgnoreCase))
        {
            return SourceSpec.Kubernetes;
        }
        if (text.StartsWith("file:", StringComparison.OrdinalIgnoreCase) && text.Length > "file:".Length)
        {
            return new SourceSpec(SourceKind.File, text["file:".Length..]);
        }
        throw new FormatException("");
    }

    public static LogFormat LogFormat(string value) => value.Trim().ToLowerInvariant() switch
    {
        "simple" or "text" => Configuration.LogFormat.Simple,
        "json" => Configuration.LogFormat.Json,
        _ => throw new FormatException(""),
    };

    public static LogLevel LogLevel(string value) => value.Trim().ToLowerInvariant() switch
    {
        "trace" => Microsoft.Extensions.Logging.LogLevel.Trace,
        "debug" => Microsoft.Extensions.Logging.LogLevel.Debug,
        "info" or "information" => Microsoft.Extensions.Logging.LogLevel.Information,
        "warn" or "warning" => Microsoft.Extensions.Logging.LogLevel.Warning,
        "error" => Microsoft.Extensions.Logging.LogLevel.Error,
        "critical" => Microsoft.Extensions.Logging.LogLevel.Critical,
        "none" => Microsoft.Extensions.Logging.LogLevel.None,
        _ => throw new FormatException(""),
    };
}
