using Tomlyn;
using Tomlyn.Model;

namespace FakeFrpc;

/// <summary>
/// Reads an frpc v0.52+ TOML config as strictly as frpc does: unknown keys and wrong types are errors, and
/// so is a visitor without a name or with bindPort 0. Known keys follow frp's pkg/config/v1 (client, visitor).
/// </summary>
internal static class FakeConfigReader
{
    private static readonly HashSet<string> RootKeys =
        ["serverAddr", "serverPort", "loginFailExit", "user", "auth", "log", "webServer", "transport", "visitors", "proxies"];
    private static readonly HashSet<string> AuthKeys = ["method", "token", "additionalScopes"];
    private static readonly HashSet<string> LogKeys = ["to", "level", "maxDays", "disablePrintColor"];
    private static readonly HashSet<string> WebServerKeys = ["addr", "port", "user", "password", "assetsDir", "pprofEnable"];
    private static readonly HashSet<string> TransportKeys = ["protocol", "dialServerTimeout", "poolCount", "tcpMux", "heartbeatInterval", "heartbeatTimeout"];
    private static readonly HashSet<string> VisitorKeys =
        ["name", "type", "enabled", "transport", "secretKey", "serverUser", "serverName", "bindAddr", "bindPort",
         "protocol", "keepTunnelOpen", "maxRetriesAnHour", "minRetryInterval", "fallbackTo", "fallbackTimeoutMs"];
    private static readonly HashSet<string> VisitorTransportKeys = ["useEncryption", "useCompression"];
    private static readonly HashSet<string> VisitorTypes = ["stcp", "sudp", "xtcp"];

    public static (FakeConfig? Config, string? Error) Read(string path)
    {
        try
        {
            return (Parse(File.ReadAllText(path)), null);
        }
        catch (Exception e) when (e is IOException or FormatException or InvalidCastException or TomlException)
        {
            return (null, e.Message);
        }
    }

    public static FakeConfig Parse(string text)
    {
        var root = TomlSerializer.Deserialize<TomlTable>(text) ?? throw new FormatException("empty document");
        CheckKeys(root, RootKeys, "");
        foreach (var (section, keys) in (ReadOnlySpan<(string, HashSet<string>)>)[("auth", AuthKeys), ("log", LogKeys), ("webServer", WebServerKeys), ("transport", TransportKeys)])
        {
            if (root.TryGetValue(section, out var value))
            {
                CheckKeys(value as TomlTable ?? throw new FormatException($"{section} must be a table"), keys, section + ".");
            }
        }
        var web = root.TryGetValue("webServer", out var w) ? (TomlTable)w : [];
        var webServer = new WebServerSettings(Str(web, "addr") ?? "127.0.0.1", Int(web, "port") ?? 0, Str(web, "user") ?? "", Str(web, "password") ?? "");
        if (webServer.Port is < 0 or > 65535)
        {
            throw new FormatException("webServer.port out of range");
        }
        var visitors = new List<VisitorSettings>();
        // "visitors = []" is an empty inline array, which frpc reads as no visitors.
        if (root.TryGetValue("visitors", out var v) && v is not TomlArray { Count: 0 })
        {
            foreach (var item in v as TomlTableArray ?? throw new FormatException("visitors must be an array of tables"))
            {
                visitors.Add(ParseVisitor(item, visitors.Count));
            }
        }
        if (visitors.Select(x => x.Name).Distinct(StringComparer.Ordinal).Count() != visitors.Count)
        {
            throw new FormatException("duplicate visitor name");
        }
        return new FakeConfig(Str(root, "serverAddr") ?? "0.0.0.0", Int(root, "serverPort") ?? 7000, webServer, visitors);
    }

    private static VisitorSettings ParseVisitor(TomlTable item, int index)
    {
        var where = $"visitors[{index}].";
        CheckKeys(item, VisitorKeys, where);
        if (item.TryGetValue("transport", out var t))
        {
            CheckKeys(t as TomlTable ?? throw new FormatException(where + "transport must be a table"), VisitorTransportKeys, where + "transport.");
        }
        var name = Str(item, "name");
        var type = Str(item, "type");
        if (string.IsNullOrEmpty(name))
        {
            throw new FormatException(where + "name is required");
        }
        if (type is null || !VisitorTypes.Contains(type))
        {
            throw new FormatException($"{where}type '{type}' is not a visitor type");
        }
        var bindPort = Int(item, "bindPort") ?? 0;
        // frp: -1 means "do not listen", for a visitor reached only as an xtcp visitor's fallbackTo.
        if (bindPort is 0 or < -1 or > 65535)
        {
            throw new FormatException($"{where}bindPort {bindPort} is invalid");
        }
        return new VisitorSettings(name, type, Str(item, "serverName") ?? "", Str(item, "secretKey"),
            Str(item, "bindAddr") ?? "127.0.0.1", bindPort);
    }

    private static void CheckKeys(TomlTable table, HashSet<string> allowed, string prefix)
    {
        foreach (var key in table.Keys)
        {
            if (!allowed.Contains(key))
            {
                throw new FormatException($"json: unknown field \"{prefix}{key}\"");
            }
        }
    }

    private static string? Str(TomlTable table, string key) =>
        table.TryGetValue(key, out var value) ? value as string ?? throw new FormatException($"{key} must be a string") : null;

    private static int? Int(TomlTable table, string key) =>
        table.TryGetValue(key, out var value) ? value is long l ? checked((int)l) : throw new FormatException($"{key} must be an integer") : null;
}
