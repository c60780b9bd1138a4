namespace Sidecar.Configuration;

/// <summary>The effective settings as one log-friendly line, with secrets redacted.</summary>
internal static class SettingsSummary
{
    public const string Redacted = "<redacted>";

    public static string Describe(Settings s) => string.Join(' ',
        Pair(SettingCatalog.MappedServices, s.MappedServices),
        Pair(SettingCatalog.MaxServices, s.MaxServices),
        Pair(SettingCatalog.IpRange, s.IpRange),
        Pair(SettingCatalog.DnsAddr, s.DnsAddr),
        Pair(SettingCatalog.DnsTtl, s.DnsTtl),
        Pair(SettingCatalog.DnsMiss, s.DnsMiss),
        Pair(SettingCatalog.DnsUpstream, s.DnsUpstream),
        Pair(SettingCatalog.DnsSearch, s.DnsSearch),
        Pair(SettingCatalog.DnsWaitForTunnel, s.DnsWaitForTunnel),
        Pair(SettingCatalog.Source, s.Source),
        Pair(SettingCatalog.Kubeconfig, s.Kubeconfig, whenNull: "(in-cluster)"),
        Pair(SettingCatalog.Discovery, s.Discovery),
        Pair(SettingCatalog.PollInterval, s.PollInterval),
        Pair(SettingCatalog.RelistPeriod, s.RelistPeriod),
        Pair(SettingCatalog.ResyncPeriod, s.ResyncPeriod, whenNull: "(unset)"),
        Pair(SettingCatalog.FrpServerSelector, s.FrpServerSelector, whenNull: "(all)"),
        Pair(SettingCatalog.FrpServers, s.FrpServers),
        Pair(SettingCatalog.FrpsAddr, s.FrpsAddr),
        Pair(SettingCatalog.FrpToken, s.FrpToken),
        Pair(SettingCatalog.StateDir, s.StateDir, whenNull: "(new private directory)"),
        Pair(SettingCatalog.FrpcPath, s.FrpcPath),
        Pair(SettingCatalog.TunnelEngine, s.TunnelEngine),
        Pair(SettingCatalog.FrpsTlsCaFile, s.FrpsTlsCaFile),
        Pair(SettingCatalog.FrpsTlsServerName, s.FrpsTlsServerName, whenNull: "(frps host)"),
        Pair(SettingCatalog.VisitorUseEncryption, s.VisitorUseEncryption),
        Pair(SettingCatalog.VisitorUseCompression, s.VisitorUseCompression),
        Pair(SettingCatalog.AdminAddr, s.AdminAddr, whenNull: "(disabled)"),
        Pair(SettingCatalog.ShutdownGrace, s.ShutdownGrace),
        Pair(SettingCatalog.LogFormat, s.LogFormat),
        Pair(SettingCatalog.LogLevel, s.LogLevel));

    private static string Pair<T>(Setting<T> setting, T value, string whenNull = "(none)")
    {
        var text = value is null ? whenNull : setting.IsSecret ? Redacted : setting.FormatValue(value);
        return setting.Key + "=" + text;
    }
}
