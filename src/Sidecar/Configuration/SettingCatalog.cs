namespace Sidecar.Configuration;

/// <summary>Every setting the sidecar reads. The help text and the start-up log are generated from this list.</summary>
internal static class SettingCatalog
{
    public static readonly SettingDescriptor MappedServices = new("mapped-services", "mapped-services", "SIDECAR_MAPPED_SERVICES", "(none)",
        "Comma-separated service names to map; name:port overrides the port from the resource.");
    public static readonly SettingDescriptor MaxServices = new("max-services", "max-services", "SIDECAR_MAX_SERVICES", "100",
        "Upper bound on the number of mapped services.");
    public static readonly SettingDescriptor IpRange = new("ip-range", "ip-range", "SIDECAR_IP_RANGE", "(required)",
        "CIDR of local addresses handed out to services, e.g. 127.1.0.0/24.");
    public static readonly SettingDescriptor DnsAddr = new("dns-addr", "dns-addr", "SIDECAR_DNS_ADDR", "127.0.0.2:53",
        "DNS listen address, ip:port or [ipv6]:port. Never falls back to a wildcard address.");
    public static readonly SettingDescriptor DnsTtl = new("dns-ttl", "dns-ttl", "SIDECAR_DNS_TTL", "5s",
        "TTL of answers for mapped names.");
    public static readonly SettingDescriptor DnsMiss = new("dns-miss", "dns-miss", "SIDECAR_DNS_MISS", "nxdomain",
        "Answer for names that are not mapped: nxdomain, refused or forward.");
    public static readonly SettingDescriptor DnsUpstream = new("dns-upstream", "dns-upstream", "SIDECAR_DNS_UPSTREAM", "nameservers of /etc/resolv.conf",
        "Comma-separated upstream servers ip[:port] for --dns-miss=forward.");
    public static readonly SettingDescriptor DnsSearch = new("dns-search", "dns-search", "SIDECAR_DNS_SEARCH", "search line of /etc/resolv.conf",
        "Comma-separated search domains; a mapped name plus one of them is answered directly.");
    public static readonly SettingDescriptor DnsWaitForTunnel = new("dns-wait-for-tunnel", "dns-wait-for-tunnel", "SIDECAR_DNS_WAIT_FOR_TUNNEL", "true",
        "Answer a name only once its tunnel accepts connections.", IsSwitch: true);
    public static readonly SettingDescriptor Source = new("source", "source", "SIDECAR_SOURCE", "kubernetes",
        "Where FRPServer resources come from: kubernetes, or file:PATH (YAML or JSON).");
    public static readonly SettingDescriptor Kubeconfig = new("kubeconfig", "kubeconfig", "SIDECAR_KUBECONFIG", "in-cluster service account",
        "Path to a kubeconfig file.", FallbackEnv: "KUBECONFIG");
    public static readonly SettingDescriptor Discovery = new("discovery", "discovery", "SIDECAR_DISCOVERY", "watch",
        "How to follow FRPServers: watch (list once, then watch; ms convergence) or poll (one list per --poll-interval, no watch).");
    public static readonly SettingDescriptor PollInterval = new("poll-interval", "poll-interval", "SIDECAR_POLL_INTERVAL", "10s",
        "--discovery=poll: one list of FRPServers per interval.");
    public static readonly SettingDescriptor RelistPeriod = new("relist-period", "relist-period", "SIDECAR_RELIST_PERIOD", "1h",
        "--discovery=watch: a safety-net full list this often (jittered up to +50%; at least 30m; 0 disables).");
    public static readonly SettingDescriptor ResyncPeriod = new("resync-period", "resync-period", "SIDECAR_RESYNC_PERIOD", "(deprecated)",
        "Deprecated: read as --relist-period (raised to its 30m minimum); use --relist-period or --discovery=poll --poll-interval.");
    public static readonly SettingDescriptor FrpServerSelector = new("frpserver-selector", "frpserver-selector", "SIDECAR_FRPSERVER_SELECTOR", "(all)",
        "Label selector: list and watch only the FRPServers it matches, e.g. team=payments.");
    public static readonly SettingDescriptor FrpServers = new("frpservers", "frpservers", "SIDECAR_FRPSERVERS", "(all)",
        "Comma-separated FRPServer names: list and watch only these (one watch per name).");
    public static readonly SettingDescriptor FrpsAddr = new("frps-addr", "frps-addr", "SIDECAR_FRPS_ADDR", "(none)",
        "frps host to dial when the resource names no concrete address.");
    public static readonly SettingDescriptor FrpTokenFile = new("frp-token-file", "frp-token-file", "SIDECAR_FRP_TOKEN_FILE", "(none)",
        "File holding the frps auth token; overrides SIDECAR_FRP_TOKEN and spec.auth.token.");
    public static readonly SettingDescriptor FrpToken = new("frp-token", null, "SIDECAR_FRP_TOKEN", "(none)",
        "frps auth token (environment only, so it never shows in ps).", IsSecret: true);
    public static readonly SettingDescriptor StateDir = new("state-dir", "state-dir", "SIDECAR_STATE_DIR", SettingDefaults.StateDir,
        "Private directory (0700) for frpc configuration files.");
    public static readonly SettingDescriptor FrpcPath = new("frpc-path", "frpc-path", "SIDECAR_FRPC_PATH", "frpc on PATH",
        "The frpc executable used for stcp, sudp and xtcp visitors.");
    public static readonly SettingDescriptor AdminAddr = new("admin-addr", "admin-addr", "SIDECAR_ADMIN_ADDR", "0.0.0.0:9901",
        "Health, readiness and metrics endpoint; empty disables it.");
    public static readonly SettingDescriptor ShutdownGrace = new("shutdown-grace", "shutdown-grace", "SIDECAR_SHUTDOWN_GRACE", "5s",
        "Time allowed for an orderly shutdown before children are killed.");
    public static readonly SettingDescriptor LogFormat = new("log-format", "log-format", "SIDECAR_LOG_FORMAT", "simple",
        "Log format: simple or json.");
    public static readonly SettingDescriptor LogLevel = new("log-level", "log-level", "SIDECAR_LOG_LEVEL", "info",
        "Minimum log level: trace, debug, info, warn, error.");

    public static readonly IReadOnlyList<SettingDescriptor> All =
    [
        MappedServices, MaxServices, IpRange, DnsAddr, DnsTtl, DnsMiss, DnsUpstream, DnsSearch, DnsWaitForTunnel,
        Source, Kubeconfig, Discovery, PollInterval, RelistPeriod, ResyncPeriod, FrpServerSelector, FrpServers, FrpsAddr, FrpTokenFile, FrpToken, StateDir, FrpcPath, AdminAddr,
        ShutdownGrace, LogFormat, LogLevel,
    ];
}
