using System.Net;
using Microsoft.Extensions.Logging;
using Sidecar.Dns.Serving;

namespace Sidecar.Configuration;

/// <summary>
/// Every setting the sidecar reads, each declared once: flag, variable, default, parser, help.
/// <c>--help</c>, the start-up summary, the defaults of <see cref="Settings"/> and the settings tables in
/// README.md and docs/operations.md (checked by a test) all come from here.
/// </summary>
/// <remarks>
/// Adding a setting: declare it here and list it in <see cref="All"/>; give <see cref="Settings"/> a property
/// initialised from its <c>Default</c>; read it in <see cref="SettingsLoader"/> with <c>source.Get(SettingCatalog.X)</c>;
/// name it in <see cref="SettingsSummary"/>. Never write a default anywhere else.
/// </remarks>
internal static class SettingCatalog
{
    public static readonly Setting<IReadOnlyList<MappedService>> MappedServices = new("mapped-services", "SIDECAR_MAPPED_SERVICES",
        "Comma-separated service names to map; name:port overrides the port from the resource. Case-insensitive, duplicates removed, at most --max-services.")
    {
        Default = [], DefaultDescription = "(none)", Expected = "comma-separated DNS names, each optionally name:port",
        Parse = v => ServiceNames.ParseMappedServices(v, int.MaxValue),
    };
    /// <summary>The original design's limit on mapped services.</summary>
    public static readonly Setting<int> MaxServices = new("max-services", "SIDECAR_MAX_SERVICES",
        "Upper bound on the number of mapped services.")
    {
        Default = 100, Expected = "a positive integer", Parse = v => ValueParsers.ParseInt(v, 1, 65_536),
    };
    public static readonly Setting<IPNetwork> IpRange = new("ip-range", "SIDECAR_IP_RANGE",
        "CIDR of local addresses handed out to services, e.g. 127.1.0.0/24. Outside 127.0.0.0/8 the addresses must exist on an interface (warned).")
    {
        Default = default, DefaultDescription = "(required)", Expected = "a CIDR such as 127.1.0.0/24", Parse = ValueParsers.ParseCidr,
    };
    public static readonly Setting<IPEndPoint> DnsAddr = new("dns-addr", "SIDECAR_DNS_ADDR",
        "DNS listen address, ip:port or [ipv6]:port. Never falls back to a wildcard address.")
    {
        Default = new(IPAddress.Parse("127.0.0.2"), 53), Expected = "a concrete ip:port or [ipv6]:port, e.g. 127.0.0.2:53",
        Parse = SettingParsers.DnsAddr,
    };
    /// <summary>The original answered with a 5 s TTL: short enough that a moved service is picked up quickly.</summary>
    public static readonly Setting<TimeSpan> DnsTtl = new("dns-ttl", "SIDECAR_DNS_TTL", "TTL of answers for mapped names.")
    {
        Default = TimeSpan.FromSeconds(5), Expected = "a duration from 0s to 24h, e.g. 5s",
        Parse = v => SettingParsers.Duration(v, TimeSpan.Zero, TimeSpan.FromDays(1)),
    };
    public static readonly Setting<DnsMissPolicy> DnsMiss = new("dns-miss", "SIDECAR_DNS_MISS",
        "Answer for names that are not mapped: nxdomain, refused or forward.")
    {
        Default = DnsMissPolicy.NxDomain, Expected = "nxdomain, refused or forward", Parse = SettingParsers.MissPolicy, Text = SettingParsers.MissPolicyText,
    };
    public static readonly Setting<IReadOnlyList<IPEndPoint>> DnsUpstream = new("dns-upstream", "SIDECAR_DNS_UPSTREAM",
        "Comma-separated upstream servers ip[:port] for --dns-miss=forward.")
    {
        Default = [], DefaultDescription = "nameservers of /etc/resolv.conf", Expected = "comma-separated ip[:port]",
        Parse = v => ValueParsers.ParseEndpointList(v, 53),
    };
    public static readonly Setting<IReadOnlyList<string>> DnsSearch = new("dns-search", "SIDECAR_DNS_SEARCH",
        "Comma-separated search domains; a mapped name plus one of them is answered directly.")
    {
        Default = [], DefaultDescription = "search line of /etc/resolv.conf", Expected = "comma-separated domains",
        Parse = ValueParsers.ParseDomainList,
    };
    public static readonly Setting<bool> DnsWaitForTunnel = new("dns-wait-for-tunnel", "SIDECAR_DNS_WAIT_FOR_TUNNEL",
        "Answer a name only once its tunnel accepts connections.")
    {
        Default = true, IsSwitch = true, Expected = "true or false", Parse = ValueParsers.ParseBool,
    };
    public static readonly Setting<SourceSpec> Source = new("source", "SIDECAR_SOURCE",
        "Where FRPServer resources come from: kubernetes, or file:PATH (YAML or JSON FRPServer, List or documents).")
    {
        Default = SourceSpec.Kubernetes, Expected = "kubernetes or file:PATH", Parse = SettingParsers.Source,
    };
    public static readonly Setting<string?> Kubeconfig = new("kubeconfig", "SIDECAR_KUBECONFIG", "Path to a kubeconfig file.")
    {
        Default = null, DefaultDescription = "in-cluster service account", FallbackEnv = "KUBECONFIG", Expected = "a file path",
        Parse = SettingParsers.NonEmpty,
    };
    public static readonly Setting<DiscoveryMode> Discovery = new("discovery", "SIDECAR_DISCOVERY",
        "How to follow FRPServers: watch (list once, then watch; ms convergence) or poll (one list per --poll-interval, no watch). See docs/scale.md.")
    {
        Default = DiscoveryMode.Watch, Expected = "watch or poll", Parse = SettingParsers.Discovery, Text = SettingParsers.DiscoveryText,
    };
    /// <summary>The original design polled every 10 s.</summary>
    public static readonly Setting<TimeSpan> PollInterval = new("poll-interval", "SIDECAR_POLL_INTERVAL",
        "--discovery=poll: one list of FRPServers per interval, from the API server's watch cache.")
    {
        Default = TimeSpan.FromSeconds(10), Expected = "a duration from 100ms to 1h, e.g. 10s",
        Parse = v => SettingParsers.Duration(v, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
    };
    /// <summary>A watch resumes from bookmarks, so a full list is only a safety net: hourly costs one request per Pod-hour.</summary>
    public static readonly Setting<TimeSpan> RelistPeriod = new("relist-period", "SIDECAR_RELIST_PERIOD",
        "--discovery=watch: a safety-net full list this often (jittered up to +50%; at least 30m; 0 disables).")
    {
        Default = TimeSpan.FromHours(1), Expected = "0 or a duration from 30m to 24h, e.g. 1h", Parse = SettingParsers.RelistPeriod,
    };
    public static readonly Setting<TimeSpan?> ResyncPeriod = new("resync-period", "SIDECAR_RESYNC_PERIOD",
        "Deprecated: read as --relist-period (raised to its 30m minimum), with a warning. Use --relist-period, or --discovery=poll with --poll-interval.")
    {
        Default = null, DefaultDescription = "(deprecated)", Expected = "a duration up to 24h, e.g. 30m",
        Parse = v => SettingParsers.Duration(v, TimeSpan.Zero, TimeSpan.FromDays(1)),
    };
    public static readonly Setting<string?> FrpServerSelector = new("frpserver-selector", "SIDECAR_FRPSERVER_SELECTOR",
        "Label selector: list and watch only the FRPServers it matches, e.g. team=payments.")
    {
        Default = null, DefaultDescription = "all", Expected = "a label selector such as team=payments,tier in (a,b)",
        Parse = SettingParsers.LabelSelector,
    };
    public static readonly Setting<IReadOnlyList<string>> FrpServers = new("frpservers", "SIDECAR_FRPSERVERS",
        "Comma-separated FRPServer names: list and watch only these (one watch per name).")
    {
        Default = [], DefaultDescription = "all", Expected = "comma-separated FRPServer names", Parse = SettingParsers.ResourceNames,
    };
    public static readonly Setting<string?> FrpsAddr = new("frps-addr", "SIDECAR_FRPS_ADDR",
        "frps host to dial when the resource names no concrete address.")
    {
        Default = null, Expected = "a host name or address", Parse = SettingParsers.NonEmpty,
    };
    public static readonly Setting<string?> FrpTokenFile = new("frp-token-file", "SIDECAR_FRP_TOKEN_FILE",
        "File holding the frps auth token; overrides SIDECAR_FRP_TOKEN and spec.auth.token.")
    {
        Default = null, Expected = "a file path", Parse = v => v,
    };
    public static readonly Setting<string?> FrpToken = new("frp-token", "SIDECAR_FRP_TOKEN",
        "frps auth token (environment only, so it never shows in ps).")
    {
        Default = null, IsEnvOnly = true, IsSecret = true, Expected = "a token", Parse = v => v.Trim(),
    };
    /// <summary>Null: chosen from the environment by <see cref="StateDirDefault"/> (never a shared /tmp path).</summary>
    public static readonly Setting<string?> StateDir = new("state-dir", "SIDECAR_STATE_DIR",
        "Private directory (0700) for frpc configuration files (0600), used only while frpc runs (xtcp, or --tunnel-engine frpc); refused if a symlink, not owned by this user, or writable by others.")
    {
        Default = null, DefaultDescription = StateDirDefault.Description, Expected = "a directory path", Parse = SettingParsers.NonEmpty,
    };
    public static readonly Setting<string> FrpcPath = new("frpc-path", "SIDECAR_FRPC_PATH",
        "The frpc executable for xtcp visitors (and stcp/sudp with --tunnel-engine frpc); not needed otherwise.")
    {
        Default = "frpc", DefaultDescription = "frpc on PATH", Expected = "a path to frpc", Parse = SettingParsers.NonEmpty,
    };
    public static readonly Setting<TunnelEngine> TunnelEngine = new("tunnel-engine", "SIDECAR_TUNNEL_ENGINE",
        "What serves stcp/sudp visitors: native (in-process, no child, no state directory) or frpc (a child process). xtcp uses frpc; without frpc, an xtcp proxy with an stcp twin is reached through the twin natively.")
    {
        Default = Configuration.TunnelEngine.Native, Expected = "frpc or native", Parse = SettingParsers.Engine, Text = SettingParsers.EngineText,
    };
    public static readonly Setting<string?> FrpsTlsCaFile = new("frps-tls-ca-file", "SIDECAR_FRPS_TLS_CA_FILE",
        "Native engine: PEM file of CA certificates; when set, frps's TLS certificate and name are verified against it (frpc's transport.tls.trustedCaFile).")
    {
        Default = null, DefaultDescription = "none: not verified, as frpc", Expected = "a readable PEM file with at least one certificate",
        Parse = SettingParsers.CaFile,
    };
    public static readonly Setting<string?> FrpsTlsServerName = new("frps-tls-server-name", "SIDECAR_FRPS_TLS_SERVER_NAME",
        "Native engine: the name frps's certificate must carry (and the SNI sent), as frpc's transport.tls.serverName.")
    {
        Default = null, DefaultDescription = "the dialled frps host", Expected = "a host name or IP address", Parse = SettingParsers.ServerName,
    };
    public static readonly Setting<bool> VisitorUseEncryption = new("visitor-use-encryption", "SIDECAR_VISITOR_USE_ENCRYPTION",
        "Native engine: encrypt each visitor connection's own leg (AES-128-CFB keyed by the secret key) inside the TLS session.")
    {
        Default = false, IsSwitch = true, Expected = "true or false", Parse = ValueParsers.ParseBool,
    };
    public static readonly Setting<bool> VisitorUseCompression = new("visitor-use-compression", "SIDECAR_VISITOR_USE_COMPRESSION",
        "Native engine: snappy-frame each visitor connection's own leg (frps decodes each leg by its own flags).")
    {
        Default = false, IsSwitch = true, Expected = "true or false", Parse = ValueParsers.ParseBool,
    };
    /// <summary>All interfaces, so the kubelet's probes reach it.</summary>
    public static readonly Setting<IPEndPoint?> AdminAddr = new("admin-addr", "SIDECAR_ADMIN_ADDR",
        "Health, readiness, metrics and /debug/mappings endpoint; empty disables it.")
    {
        Default = new(IPAddress.Any, 9901), Expected = "ip:port, or empty to disable",
        Parse = v => string.IsNullOrWhiteSpace(v) ? null : ValueParsers.ParseEndpoint(v, 9901),
    };
    public static readonly Setting<TimeSpan> ShutdownGrace = new("shutdown-grace", "SIDECAR_SHUTDOWN_GRACE",
        "Time allowed for an orderly shutdown before children are killed.")
    {
        Default = TimeSpan.FromSeconds(5), Expected = "a duration from 0s to 10m, e.g. 5s",
        Parse = v => SettingParsers.Duration(v, TimeSpan.Zero, TimeSpan.FromMinutes(10)),
    };
    public static readonly Setting<LogFormat> LogFormat = new("log-format", "SIDECAR_LOG_FORMAT", "Log format: simple or json.")
    {
        Default = Configuration.LogFormat.Simple, Expected = "simple or json", Parse = SettingParsers.LogFormat, Text = SettingParsers.LogFormatText,
    };
    public static readonly Setting<LogLevel> LogLevel = new("log-level", "SIDECAR_LOG_LEVEL",
        "Minimum log level: trace, debug, info, warn, error.")
    {
        Default = Microsoft.Extensions.Logging.LogLevel.Information,
        Expected = "trace, debug, info, warn, error, critical or none", Parse = SettingParsers.LogLevel, Text = SettingParsers.LogLevelText,
    };

    public static readonly IReadOnlyList<SettingDescriptor> All =
    [
        MappedServices, MaxServices, IpRange, DnsAddr, DnsTtl, DnsMiss, DnsUpstream, DnsSearch, DnsWaitForTunnel,
        Source, Kubeconfig, Discovery, PollInterval, RelistPeriod, ResyncPeriod, FrpServerSelector, FrpServers, FrpsAddr, FrpTokenFile, FrpToken, StateDir, FrpcPath, TunnelEngine,
        FrpsTlsCaFile, FrpsTlsServerName, VisitorUseEncryption, VisitorUseCompression, AdminAddr,
        ShutdownGrace, LogFormat, LogLevel,
    ];
}
