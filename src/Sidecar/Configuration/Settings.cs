using System.Net;
using Microsoft.Extensions.Logging;
using Sidecar.Dns.Serving;

namespace Sidecar.Configuration;

/// <summary>
/// The effective settings, after flags, environment variables and defaults were merged. Every default comes
/// from <see cref="SettingCatalog"/>; none is written here.
/// </summary>
internal sealed record Settings
{
    public required IReadOnlyList<MappedService> MappedServices { get; init; }
    public int MaxServices { get; init; } = SettingCatalog.MaxServices.Default;
    public required IPNetwork IpRange { get; init; }
    public IPEndPoint DnsAddr { get; init; } = SettingCatalog.DnsAddr.Default;
    public TimeSpan DnsTtl { get; init; } = SettingCatalog.DnsTtl.Default;
    public DnsMissPolicy DnsMiss { get; init; } = SettingCatalog.DnsMiss.Default;
    public IReadOnlyList<IPEndPoint> DnsUpstream { get; init; } = SettingCatalog.DnsUpstream.Default;
    public IReadOnlyList<string> DnsSearch { get; init; } = SettingCatalog.DnsSearch.Default;
    public bool DnsWaitForTunnel { get; init; } = SettingCatalog.DnsWaitForTunnel.Default;
    public SourceSpec Source { get; init; } = SettingCatalog.Source.Default;
    public string? Kubeconfig { get; init; } = SettingCatalog.Kubeconfig.Default;
    public DiscoveryMode Discovery { get; init; } = SettingCatalog.Discovery.Default;
    public TimeSpan PollInterval { get; init; } = SettingCatalog.PollInterval.Default;
    /// <summary>Watch mode's safety-net list; zero when disabled.</summary>
    public TimeSpan RelistPeriod { get; init; } = SettingCatalog.RelistPeriod.Default;
    /// <summary>The deprecated setting as given (null when unset); already folded into <see cref="RelistPeriod"/>.</summary>
    public TimeSpan? ResyncPeriod { get; init; } = SettingCatalog.ResyncPeriod.Default;
    /// <summary>A label selector narrowing what is listed and watched; null for all.</summary>
    public string? FrpServerSelector { get; init; } = SettingCatalog.FrpServerSelector.Default;
    /// <summary>FRPServer names to list and watch (each by field selector); empty for all.</summary>
    public IReadOnlyList<string> FrpServers { get; init; } = SettingCatalog.FrpServers.Default;
    /// <summary>Problems with the settings that do not stop the start (deprecated settings); logged as warnings.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
    public string? FrpsAddr { get; init; } = SettingCatalog.FrpsAddr.Default;
    /// <summary>frps auth token; a secret: never logged, never on a command line.</summary>
    public string? FrpToken { get; init; } = SettingCatalog.FrpToken.Default;
    /// <summary>Where frpc's config files go; null for a fresh private directory (<see cref="StateDirDefault"/>).</summary>
    public string? StateDir { get; init; } = SettingCatalog.StateDir.Default;
    public string FrpcPath { get; init; } = SettingCatalog.FrpcPath.Default;
    public TunnelEngine TunnelEngine { get; init; } = SettingCatalog.TunnelEngine.Default;
    /// <summary>Native engine: CA file frps's certificate is verified against; null to accept any (frpc's default).</summary>
    public string? FrpsTlsCaFile { get; init; } = SettingCatalog.FrpsTlsCaFile.Default;
    /// <summary>Native engine: the name frps's certificate must carry; null for the dialled host.</summary>
    public string? FrpsTlsServerName { get; init; } = SettingCatalog.FrpsTlsServerName.Default;
    public bool VisitorUseEncryption { get; init; } = SettingCatalog.VisitorUseEncryption.Default;
    public bool VisitorUseCompression { get; init; } = SettingCatalog.VisitorUseCompression.Default;
    /// <summary>Admin HTTP endpoint; null when disabled.</summary>
    public IPEndPoint? AdminAddr { get; init; } = SettingCatalog.AdminAddr.Default;
    public TimeSpan ShutdownGrace { get; init; } = SettingCatalog.ShutdownGrace.Default;
    public LogFormat LogFormat { get; init; } = SettingCatalog.LogFormat.Default;
    public LogLevel LogLevel { get; init; } = SettingCatalog.LogLevel.Default;
}
