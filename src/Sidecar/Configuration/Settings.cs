using System.Net;

namespace Sidecar.Configuration;

/// <summary>The effective settings, after flags, environment variables and defaults were merged.</summary>
internal sealed record Settings
{
    public required IReadOnlyList<MappedService> MappedServices { get; init; }
    public int MaxServices { get; init; } = SettingDefaults.MaxServices;
    public required IPNetwork IpRange { get; init; }
    public IPEndPoint DnsAddr { get; init; } = SettingDefaults.DnsAddr;
    public TimeSpan DnsTtl { get; init; } = SettingDefaults.DnsTtl;
    public DnsMissPolicy DnsMiss { get; init; } = DnsMissPolicy.NxDomain;
    public IReadOnlyList<IPEndPoint> DnsUpstream { get; init; } = [];
    public IReadOnlyList<string> DnsSearch { get; init; } = [];
    public bool DnsWaitForTunnel { get; init; } = true;
    public SourceSpec Source { get; init; } = SourceSpec.Kubernetes;
    public string? Kubeconfig { get; init; }
    public DiscoveryMode Discovery { get; init; } = DiscoveryMode.Watch;
    public TimeSpan PollInterval { get; init; } = SettingDefaults.PollInterval;
    /// <summary>Watch mode's safety-net list; zero when disabled.</summary>
    public TimeSpan RelistPeriod { get; init; } = SettingDefaults.RelistPeriod;
    /// <summary>A label selector narrowing what is listed and watched; null for all.</summary>
    public string? FrpServerSelector { get; init; }
    /// <summary>FRPServer names to list and watch (each by field selector); empty for all.</summary>
    public IReadOnlyList<string> FrpServers { get; init; } = [];
    /// <summary>Problems with the settings that do not stop the start (deprecated settings); logged as warnings.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
    public string? FrpsAddr { get; init; }
    /// <summary>frps auth token; a secret: never logged, never on a command line.</summary>
    public string? FrpToken { get; init; }
    public string StateDir { get; init; } = SettingDefaults.StateDir;
    public string FrpcPath { get; init; } = SettingDefaults.FrpcPath;
    /// <summary>Admin HTTP endpoint; null when disabled.</summary>
    public IPEndPoint? AdminAddr { get; init; } = SettingDefaults.AdminAddr;
    public TimeSpan ShutdownGrace { get; init; } = SettingDefaults.ShutdownGrace;
    public LogFormat LogFormat { get; init; } = LogFormat.Simple;
    public Microsoft.Extensions.Logging.LogLevel LogLevel { get; init; } = Microsoft.Extensions.Logging.LogLevel.Information;
}
