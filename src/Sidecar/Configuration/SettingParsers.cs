using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Sidecar.Dns.Serving;

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

    public static string MissPolicyText(DnsMissPolicy value) => value switch
    {
        DnsMissPolicy.NxDomain => "nxdomain",
        DnsMissPolicy.Refused => "refused",
        DnsMissPolicy.Forward => "forward",
        _ => ((int)value).ToString(CultureInfo.InvariantCulture),
    };

    public static TunnelEngine Engine(string value) => value.Trim().ToLowerInvariant() switch
    {
        "frpc" => TunnelEngine.Frpc,
        "native" => TunnelEngine.Native,
        _ => throw new FormatException(""),
    };

    public static string EngineText(TunnelEngine value) => value switch
    {
        TunnelEngine.Frpc => "frpc",
        TunnelEngine.Native => "native",
        _ => ((int)value).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The path, once it has been read and holds at least one PEM certificate (checked at start, not at first dial).</summary>
    public static string CaFile(string value)
    {
        var path = NonEmpty(value);
        var certificates = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new FormatException($"cannot read it: {e.Message}");
        }
        var count = certificates.Count;
        foreach (var certificate in certificates)
        {
            certificate.Dispose();
        }
        return count > 0 ? path : throw new FormatException("no PEM certificate in it");
    }

    /// <summary>frpc's serverName: a host name (RFC 1123) or an IP address.</summary>
    public static string ServerName(string value)
    {
        var name = NonEmpty(value);
        return IPAddress.TryParse(name, out _) || Dns.Wire.DnsName.IsValid(name) ? name : throw new FormatException("not a host name");
    }

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

    public static string LogFormatText(LogFormat value) => value switch
    {
        Configuration.LogFormat.Simple => "simple",
        Configuration.LogFormat.Json => "json",
        _ => ((int)value).ToString(CultureInfo.InvariantCulture),
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

    public static string LogLevelText(LogLevel value) => value switch
    {
        Microsoft.Extensions.Logging.LogLevel.Trace => "trace",
        Microsoft.Extensions.Logging.LogLevel.Debug => "debug",
        Microsoft.Extensions.Logging.LogLevel.Information => "info",
        Microsoft.Extensions.Logging.LogLevel.Warning => "warn",
        Microsoft.Extensions.Logging.LogLevel.Error => "error",
        Microsoft.Extensions.Logging.LogLevel.Critical => "critical",
        Microsoft.Extensions.Logging.LogLevel.None => "none",
        _ => ((int)value).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>More often than this, the safety net would cost more than the watch it guards.</summary>
    public static readonly TimeSpan MinRelistPeriod = TimeSpan.FromMinutes(30);

    public static TimeSpan RelistPeriod(string value)
    {
        var period = ValueParsers.ParseDuration(value);
        return period == TimeSpan.Zero || (period >= MinRelistPeriod && period <= TimeSpan.FromDays(1))
            ? period : throw new FormatException("out of range");
    }

    public static DiscoveryMode Discovery(string value) => value.Trim().ToLowerInvariant() switch
    {
        "watch" => DiscoveryMode.Watch,
        "poll" => DiscoveryMode.Poll,
        _ => throw new FormatException(""),
    };

    public static string DiscoveryText(DiscoveryMode value) => value switch
    {
        DiscoveryMode.Watch => "watch",
        DiscoveryMode.Poll => "poll",
        _ => ((int)value).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A light check of a label selector's characters; the API server has the last word (a 400 is logged).</summary>
    public static string LabelSelector(string value)
    {
        var text = value.Trim();
        return text.Length > 0 && text.Length <= 4096 && !text.AsSpan().ContainsAnyExcept(SelectorCharacters)
            ? text : throw new FormatException(text.Length == 0 ? "empty" : "unexpected characters");
    }

    /// <summary>Names of cluster-scoped resources: DNS subdomains (RFC 1123), lower case, at most 253 characters.</summary>
    public static IReadOnlyList<string> ResourceNames(string value)
    {
        var names = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToArray();
        foreach (var name in names)
        {
            if (name.Length > 253 || name.AsSpan().ContainsAnyExcept(NameCharacters) || !char.IsAsciiLetterOrDigit(name[0]) || !char.IsAsciiLetterOrDigit(name[^1]))
            {
                throw new FormatException($"'{name}' is not a resource name (lower-case letters, digits, '-' and '.')");
            }
        }
        return names.Length > 0 ? names : throw new FormatException("no names");
    }

    private static readonly System.Buffers.SearchValues<char> SelectorCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=!,() ");

    private static readonly System.Buffers.SearchValues<char> NameCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-.");
}
