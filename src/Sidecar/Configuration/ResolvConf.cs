using System.Net;
using Sidecar.Dns.Wire;

namespace Sidecar.Configuration;

/// <summary>The parts of resolv.conf(5) the sidecar uses as defaults: nameservers and search domains.</summary>
internal sealed record ResolvConf(IReadOnlyList<IPAddress> Nameservers, IReadOnlyList<string> Search)
{
    public static readonly ResolvConf Empty = new([], []);

    /// <summary>Where resolv.conf(5) lives; the defaults of --dns-upstream and --dns-search come from it.</summary>
    public const string DefaultPath = "/etc/resolv.conf";

    /// <summary>Reads the file; a missing or unreadable file gives <see cref="Empty"/> (bare hosts may have none).</summary>
    public static ResolvConf Load(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Empty;
        }
    }

    public static ResolvConf Parse(string text)
    {
        var nameservers = new List<IPAddress>();
        IReadOnlyList<string> search = [];
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            switch (fields[0])
            {
                case "nameserver" when fields.Length > 1 && IPAddress.TryParse(fields[1].Split('%')[0], out var address):
                    nameservers.Add(address);
                    break;
                // resolv.conf(5): "domain" and "search" are mutually exclusive; the last one wins.
                case "search" or "domain":
                    search = fields.Skip(1).Select(d => d.TrimEnd('.').ToLowerInvariant())
                        .Where(d => d.Length > 0 && DnsName.IsValid(d)).Distinct().ToArray();
                    break;
            }
        }
        return new ResolvConf(nameservers, search);
    }
}
