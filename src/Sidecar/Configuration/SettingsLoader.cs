using System.Net;
using Microsoft.Extensions.Logging;

namespace Sidecar.Configuration;

/// <summary>Builds <see cref="Settings"/> from flags over environment variables over defaults.</summary>
internal static class SettingsLoader
{
    /// <exception cref="SettingsException">Any bad value; the message names the flag or variable.</exception>
    public static Settings Load(CommandLine commandLine, Func<string, string?> environment, ResolvConf resolvConf)
    {
        var source = new SettingSource(commandLine, environment);

        var maxServices = source.Get(SettingCatalog.MaxServices, SettingDefaults.MaxServices,
            v => ValueParsers.ParseInt(v, 1, 65_536), "a positive integer");
        var mappedServices = source.Get(SettingCatalog.MappedServices, (IReadOnlyList<MappedService>)[],
            v => ServiceNames.ParseMappedServices(v, maxServices), "comma-separated DNS names, each optionally name:port");

        if (!source.TryGet(SettingCatalog.IpRange, out _, out _))
        {
            throw new SettingsException($"{SettingCatalog.IpRange.FlagText} (or {SettingCatalog.IpRange.Env}) is required: a CIDR such as 127.1.0.0/24");
        }
        var ipRange = source.Get(SettingCatalog.IpRange, default, ValueParsers.ParseCidr, "a CIDR such as 127.1.0.0/24");

        var dnsAddr = source.Get(SettingCatalog.DnsAddr, SettingDefaults.DnsAddr,
            ParseDnsAddr, "a concrete ip:port or [ipv6]:port, e.g. 127.0.0.2:53");

        var upstreamDefault = resolvConf.Nameservers
            .Where(a => !a.Equals(dnsAddr.Address))
            .Select(a => new IPEndPoint(a, 53)).ToArray();

        var tokenFile = source.Get<string?>(SettingCatalog.FrpTokenFile, null, v => v, "a file path");
        var token = tokenFile is null
            ? source.Get<string?>(SettingCatalog.FrpToken, null, v => v.Trim(), "a token")
            : ReadTokenFile(tokenFile);

        var warnings = new List<string>();
        var relistPeriod = source.Get(SettingCatalog.RelistPeriod, SettingDefaults.RelistPeriod, ParseRelistPeriod, "0 or a duration from 30m to 24h, e.g. 1h");
        if (source.TryGet(SettingCatalog.ResyncPeriod, out _, out var resyncOrigin))
        {
            // The old meaning, "list at this period on top of the watch", is what the safety net does, at a sane floor.
            var resync = source.Get(SettingCatalog.ResyncPeriod, TimeSpan.Zero, v => Bounded(v, TimeSpan.Zero, TimeSpan.FromDays(1)), "a duration up to 24h");
            var relist = resync == TimeSpan.Zero ? TimeSpan.Zero : resync < SettingDefaults.MinRelistPeriod ? SettingDefaults.MinRelistPeriod : resync;
            if (!source.TryGet(SettingCatalog.RelistPeriod, out _, out _))
            {
                relistPeriod = relist;
            }
            warnings.Add($"{resyncOrigin} is deprecated (a full list on top of the watch): read as {SettingCatalog.RelistPeriod.FlagText}={relist.TotalMinutes:0}m"
                + $"; set {SettingCatalog.RelistPeriod.FlagText}, or {SettingCatalog.Discovery.FlagText}=poll with {SettingCatalog.PollInterval.FlagText}");
        }

        return new Settings
        {
            MappedServices = mappedServices,
            MaxServices = maxServices,
            IpRange = ipRange,
            DnsAddr = dnsAddr,
            DnsTtl = source.Get(SettingCatalog.DnsTtl, SettingDefaults.DnsTtl, v => Bounded(v, TimeSpan.Zero, TimeSpan.FromDays(1)), "a duration from 0s to 24h, e.g. 5s"),
            DnsMiss = source.Get(SettingCatalog.DnsMiss, DnsMissPolicy.NxDomain, ParseMissPolicy, "nxdomain, refused or forward"),
            DnsUpstream = source.Get(SettingCatalog.DnsUpstream, (IReadOnlyList<IPEndPoint>)upstreamDefault,
                v => ValueParsers.ParseEndpointList(v, 53), "comma-separated ip[:port]"),
            DnsSearch = source.Get(SettingCatalog.DnsSearch, resolvConf.Search, ValueParsers.ParseDomainList, "comma-separated domains"),
            DnsWaitForTunnel = source.Get(SettingCatalog.DnsWaitForTunnel, true, ValueParsers.ParseBool, "true or false"),
            Source = source.Get(SettingCatalog.Source, SourceSpec.Kubernetes, ParseSource, "kubernetes or file:PATH"),
            Kubeconfig = source.Get<string?>(SettingCatalog.Kubeconfig, null, NonEmpty, "a file path"),
            Discovery = source.Get(SettingCatalog.Discovery, DiscoveryMode.Watch, ParseDiscovery, "watch or poll"),
            PollInterval = source.Get(SettingCatalog.PollInterval, SettingDefaults.PollInterval, v => Bounded(v, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)), "a duration from 100ms to 1h, e.g. 10s"),
            RelistPeriod = relistPeriod,
            FrpServerSelector = source.Get<string?>(SettingCatalog.FrpServerSelector, null, ParseLabelSelector, "a label selector such as team=payments,tier in (a,b)"),
            FrpServers = source.Get(SettingCatalog.FrpServers, (IReadOnlyList<string>)[], ParseResourceNames, "comma-separated FRPServer names"),
            Warnings = warnings,
            FrpsAddr = source.Get<string?>(SettingCatalog.FrpsAddr, null, NonEmpty, "a host name or address"),
            FrpToken = token,
            StateDir = source.Get(SettingCatalog.StateDir, SettingDefaults.StateDir, NonEmpty, "a directory path"),
            FrpcPath = source.Get(SettingCatalog.FrpcPath, SettingDefaults.FrpcPath, NonEmpty, "a path to frpc"),
            AdminAddr = source.Get(SettingCatalog.AdminAddr, SettingDefaults.AdminAddr,
                v => string.IsNullOrWhiteSpace(v) ? null : ValueParsers.ParseEndpoint(v, 9901), "ip:port, or empty to disable"),
            ShutdownGrace = source.Get(SettingCatalog.ShutdownGrace, SettingDefaults.ShutdownGrace, v => Bounded(v, TimeSpan.Zero, TimeSpan.FromMinutes(10)), "a duration from 0s to 10m, e.g. 5s"),
            LogFormat = source.Get(SettingCatalog.LogFormat, LogFormat.Simple, ParseLogFormat, "simple or json"),
            LogLevel = source.Get(SettingCatalog.LogLevel, LogLevel.Information, ParseLogLevel, "trace, debug, info, warn, error, critical or none"),
        };
    }

    private static string ReadTokenFile(string path)
    {
        try
        {
            var token = File.ReadAllText(path).Trim();
            return token.Length > 0 ? token : throw new SettingsException($"{SettingCatalog.FrpTokenFile.FlagText}: the file '{path}' is empty");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SettingsException($"{SettingCatalog.FrpTokenFile.FlagText}: cannot read '{path}': {e.Message}");
        }
    }

    /// <summary>The original bound every interface when its address failed; a wildcard is never accepted.</summary>
    private static IPEndPoint ParseDnsAddr(string value)
    {
        var endpoint = ValueParsers.ParseEndpoint(value, 53);
        return endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any)
            ? throw new FormatException("a wildcard address would serve DNS on every interface")
            : endpoint;
    }

    private static string NonEmpty(string value) =>
        string.IsNullOrWhiteSpace(value) ? throw new FormatException("empty") : value.Trim();

    private static TimeSpan Bounded(string value, TimeSpan min, TimeSpan max)
    {
        var duration = ValueParsers.ParseDuration(value);
        return duration >= min && duration <= max ? duration : throw new FormatException("out of range");
    }

    private static TimeSpan ParseRelistPeriod(string value)
    {
        var period = ValueParsers.ParseDuration(value);
        return period == TimeSpan.Zero || (period >= SettingDefaults.MinRelistPeriod && period <= TimeSpan.FromDays(1))
            ? period : throw new FormatException("out of range");
    }

    private static DiscoveryMode ParseDiscovery(string value) => value.Trim().ToLowerInvariant() switch
    {
        "watch" => DiscoveryMode.Watch,
        "poll" => DiscoveryMode.Poll,
        _ => throw new FormatException(""),
    };

    /// <summary>A light check of a label selector's characters; the API server has the last word (and a 400 is logged).</summary>
    private static string ParseLabelSelector(string value)
    {
        var text = value.Trim();
        return text.Length > 0 && text.Length <= 4096 && !text.AsSpan().ContainsAnyExcept(SelectorCharacters)
            ? text : throw new FormatException(text.Length == 0 ? "empty" : "unexpected characters");
    }

    private static readonly System.Buffers.SearchValues<char> SelectorCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=!,() ");

    /// <summary>Names of cluster-scoped resources: DNS subdomains (RFC 1123), lower case, at most 253 characters.</summary>
    private static IReadOnlyList<string> ParseResourceNames(string value)
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

    private static readonly System.Buffers.SearchValues<char> NameCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-.");

    private static DnsMissPolicy ParseMissPolicy(string value) => value.Trim().ToLowerInvariant() switch
    {
        "nxdomain" => DnsMissPolicy.NxDomain,
        "refused" => DnsMissPolicy.Refused,
        "forward" => DnsMissPolicy.Forward,
        _ => throw new FormatException(""),
    };

    private static SourceSpec ParseSource(string value)
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

    private static LogFormat ParseLogFormat(string value) => value.Trim().ToLowerInvariant() switch
    {
        "simple" or "text" => LogFormat.Simple,
        "json" => LogFormat.Json,
        _ => throw new FormatException(""),
    };

    private static LogLevel ParseLogLevel(string value) => value.Trim().ToLowerInvariant() switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "info" or "information" => LogLevel.Information,
        "warn" or "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "critical" => LogLevel.Critical,
        "none" => LogLevel.None,
        _ => throw new FormatException(""),
    };
}
