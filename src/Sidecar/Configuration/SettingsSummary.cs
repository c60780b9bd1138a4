using System.Globalization;

namespace Sidecar.Configuration;

/// <summary>The effective settings as one log-friendly line, with secrets redacted.</summary>
internal static class SettingsSummary
{
    public const string Redacted = "<redacted>";

    public static string Describe(Settings s)
    {
        static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
        static string List<T>(IEnumerable<T> items) => "[" + string.Join(",", items) + "]";

        return string.Join(' ',
            $"mapped-services={List(s.MappedServices)}",
            $"max-services={s.MaxServices}",
            $"ip-range={s.IpRange}",
            $"dns-addr={s.DnsAddr}",
            $"dns-ttl={Seconds(s.DnsTtl)}",
            $"dns-miss={s.DnsMiss.ToString().ToLowerInvariant()}",
            $"dns-upstream={List(s.DnsUpstream)}",
            $"dns-search={List(s.DnsSearch)}",
            $"dns-wait-for-tunnel={(s.DnsWaitForTunnel ? "true" : "false")}",
            $"source={s.Source}",
            $"kubeconfig={s.Kubeconfig ?? "(in-cluster)"}",
            $"discovery={s.Discovery.ToString().ToLowerInvariant()}",
            $"poll-interval={Seconds(s.PollInterval)}",
            $"relist-period={Seconds(s.RelistPeriod)}",
            $"frpserver-selector={s.FrpServerSelector ?? "(all)"}",
            $"frpservers={(s.FrpServers.Count == 0 ? "(all)" : List(s.FrpServers))}",
            $"frps-addr={s.FrpsAddr ?? "(none)"}",
            $"frp-token={(s.FrpToken is null ? "(none)" : Redacted)}",
            $"state-dir={s.StateDir}",
            $"frpc-path={s.FrpcPath}",
            $"admin-addr={(s.AdminAddr?.ToString() ?? "(disabled)")}",
            $"shutdown-grace={Seconds(s.ShutdownGrace)}",
            $"log-format={s.LogFormat.ToString().ToLowerInvariant()}",
            $"log-level={s.LogLevel}");
    }
}
