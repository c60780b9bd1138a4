using System.Net;

namespace Sidecar.Configuration;

/// <summary>
/// Builds <see cref="Settings"/> from flags over environment variables over defaults. Defaults, parsers and
/// the expected-value texts live in <see cref="SettingCatalog"/>; this class only adds the rules that tie
/// settings together.
/// </summary>
internal static class SettingsLoader
{
    /// <exception cref="SettingsException">Any bad value; the message names the flag or variable.</exception>
    public static Settings Load(CommandLine commandLine, Func<string, string?> environment, ResolvConf resolvConf)
    {
        var source = new SettingSource(commandLine, environment);

        var maxServices = source.Get(SettingCatalog.MaxServices);
        var mappedServices = source.Get(SettingCatalog.MappedServices, v => ServiceNames.ParseMappedServices(v, maxServices));

        var ipRange = SettingCatalog.IpRange;
        if (!source.TryGet(ipRange, out _, out _))
        {
            throw new SettingsException($"{ipRange.FlagText} (or {ipRange.Env}) is required: {ipRange.Expected}");
        }

        var dnsAddr = source.Get(SettingCatalog.DnsAddr);
        // A loop, not Where/Select: under Native AOT each Linq step on the way to the first answer is a generic
        // virtual method the type loader resolves at run time.
        var upstreamDefault = new List<IPEndPoint>(resolvConf.Nameservers.Count);
        foreach (var nameserver in resolvConf.Nameservers)
        {
            if (!nameserver.Equals(dnsAddr.Address))
            {
                upstreamDefault.Add(new IPEndPoint(nameserver, 53));
            }
        }

        var tokenFile = source.Get(SettingCatalog.FrpTokenFile);
        var token = tokenFile is null ? source.Get(SettingCatalog.FrpToken) : ReadTokenFile(tokenFile);

        var warnings = new List<string>();
        var relistPeriod = source.Get(SettingCatalog.RelistPeriod);
        var resyncPeriod = source.Get(SettingCatalog.ResyncPeriod);
        if (resyncPeriod is { } resync)
        {
            // The old meaning, "a full list at this period on top of the watch", is the safety net's, at its floor.
            var relist = resync == TimeSpan.Zero || resync >= SettingParsers.MinRelistPeriod ? resync : SettingParsers.MinRelistPeriod;
            if (!source.TryGet(SettingCatalog.RelistPeriod, out _, out _))
            {
                relistPeriod = relist;
            }
            source.TryGet(SettingCatalog.ResyncPeriod, out _, out var origin);
            warnings.Add($"{origin} is deprecated (a full list on top of the watch): read as {SettingCatalog.RelistPeriod.FlagText}={relist.TotalMinutes:0}m; "
                + $"set {SettingCatalog.RelistPeriod.FlagText}, or {SettingCatalog.Discovery.FlagText}=poll with {SettingCatalog.PollInterval.FlagText}");
        }

        return new Settings
        {
            MappedServices = mappedServices,
            MaxServices = maxServices,
            IpRange = source.Get(ipRange),
            DnsAddr = dnsAddr,
            DnsTtl = source.Get(SettingCatalog.DnsTtl),
            DnsMiss = source.Get(SettingCatalog.DnsMiss),
            DnsUpstream = source.Get(SettingCatalog.DnsUpstream, (IReadOnlyList<IPEndPoint>)upstreamDefault),
            DnsSearch = source.Get(SettingCatalog.DnsSearch, resolvConf.Search),
            DnsWaitForTunnel = source.Get(SettingCatalog.DnsWaitForTunnel),
            Source = source.Get(SettingCatalog.Source),
            Kubeconfig = source.Get(SettingCatalog.Kubeconfig),
            Discovery = source.Get(SettingCatalog.Discovery),
            PollInterval = source.Get(SettingCatalog.PollInterval),
            RelistPeriod = relistPeriod,
            ResyncPeriod = resyncPeriod,
            FrpServerSelector = source.Get(SettingCatalog.FrpServerSelector),
            FrpServers = source.Get(SettingCatalog.FrpServers),
            Warnings = warnings,
            FrpsAddr = source.Get(SettingCatalog.FrpsAddr),
            FrpToken = token,
            StateDir = source.Get(SettingCatalog.StateDir, StateDirDefault.Choose(environment, Environment.IsPrivilegedProcess)),
            FrpcPath = source.Get(SettingCatalog.FrpcPath),
            TunnelEngine = source.Get(SettingCatalog.TunnelEngine),
            FrpsTlsCaFile = source.Get(SettingCatalog.FrpsTlsCaFile),
            FrpsTlsServerName = source.Get(SettingCatalog.FrpsTlsServerName),
            VisitorUseEncryption = source.Get(SettingCatalog.VisitorUseEncryption),
            VisitorUseCompression = source.Get(SettingCatalog.VisitorUseCompression),
            AdminAddr = source.Get(SettingCatalog.AdminAddr),
            ShutdownGrace = source.Get(SettingCatalog.ShutdownGrace),
            LogFormat = source.Get(SettingCatalog.LogFormat),
            LogLevel = source.Get(SettingCatalog.LogLevel),
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
}
