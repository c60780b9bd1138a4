using Sidecar.Discovery.Model;

namespace Sidecar.Discovery;

/// <summary>
/// Whether two versions of a resource agree on every field the endpoint rules read
/// (<c>ControlLoop/Extraction/ResourceEndpointReader</c>): identity and age, the frps address, port and token, and per
/// proxy its name, type, online status and configuration. frps rewrites the status every second with new
/// counters and times; such a rewrite is equal here, so it costs no reconcile, no log line and keeps no object.
/// Keep this in step with the reader: a field it starts to read must be compared here too.
/// </summary>
internal static class UsedFields
{
    public static bool Equal(FrpServer a, FrpServer b)
    {
        if (a.ParseError is not null || b.ParseError is not null)
        {
            return false;
        }
        return a.Name == b.Name
            && a.Metadata?.Uid == b.Metadata?.Uid
            && a.Metadata?.CreationTimestamp == b.Metadata?.CreationTimestamp
            && a.Metadata?.DeletionTimestamp == b.Metadata?.DeletionTimestamp
            && SpecEqual(a.Spec, b.Spec)
            && a.Status?.InternetAddr == b.Status?.InternetAddr
            && ConnectionsEqual(a.Status?.ActiveConnections, b.Status?.ActiveConnections);
    }

    private static bool SpecEqual(FrpServerSpec? a, FrpServerSpec? b) =>
        ReferenceEquals(a, b) || (a is not null && b is not null
            && a.BindAddr == b.BindAddr && a.BindPort == b.BindPort && a.KcpBindPort == b.KcpBindPort
            && a.QuicBindPort == b.QuicBindPort && a.ProxyBindAddr == b.ProxyBindAddr
            && a.Auth?.Method == b.Auth?.Method && a.Auth?.Token == b.Auth?.Token);

    private static bool ConnectionsEqual(List<ActiveConnection>? a, List<ActiveConnection>? b)
    {
        if ((a?.Count ?? 0) != (b?.Count ?? 0))
        {
            return false;
        }
        for (var i = 0; i < (a?.Count ?? 0); i++)
        {
            var (x, y) = (a![i], b![i]);
            if (x.ParseError != y.ParseError || x.ProxyName != y.ProxyName || x.ProxyType != y.ProxyType
                || !string.Equals(x.Status, y.Status, StringComparison.Ordinal) || !ConfigEqual(x.ProxyConfig, y.ProxyConfig))
            {
                return false;
            }
        }
        return true;
    }

    private static bool ConfigEqual(ProxyConfig? a, ProxyConfig? b) =>
        ReferenceEquals(a, b) || (a is not null && b is not null
            && a.Type == b.Type && a.LocalPort == b.LocalPort && a.RemotePort == b.RemotePort && a.SecretKey == b.SecretKey);
}
