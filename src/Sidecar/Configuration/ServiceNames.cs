using System.Globalization;

namespace Sidecar.Configuration;

/// <summary>Parses <c>--mapped-services</c> and checks that names can be DNS names.</summary>
internal static class ServiceNames
{
    /// <summary>RFC 1035 §2.3.4: 63 octets per label; 253 characters for a name in text form (255 on the wire).</summary>
    private const int MaxLabelLength = 63;
    private const int MaxNameLength = 253;

    /// <summary>Splits on commas, trims, lower-cases, removes duplicates; <c>name:port</c> keeps a port override.</summary>
    public static IReadOnlyList<MappedService> ParseMappedServices(string value, int maxServices)
    {
        var services = new List<MappedService>();
        foreach (var item in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = item.LastIndexOf(':');
            var name = (colon < 0 ? item : item[..colon]).Trim().TrimEnd('.').ToLowerInvariant();
            int? port = null;
            if (colon >= 0)
            {
                if (!int.TryParse(item.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535)
                {
                    throw new FormatException($"'{item}' has a bad port; expected name:1-65535");
                }
                port = p;
            }
            if (!IsValidDnsName(name))
            {
                throw new FormatException($"'{item}' is not a valid DNS name");
            }

            var existing = services.FindIndex(s => s.Name == name);
            if (existing < 0)
            {
                services.Add(new MappedService(name, port));
            }
            else if (services[existing].Port != port)
            {
                throw new FormatException($"'{name}' is listed twice with different ports");
            }
        }
        if (services.Count > maxServices)
        {
            throw new FormatException($"{services.Count} services exceed the limit of {maxServices} (raise it with --max-services)");
        }
        return services;
    }

    /// <summary>Letters, digits, '-' and '_' in dot-separated labels of 1–63 characters.</summary>
    public static bool IsValidDnsName(string name)
    {
        if (name.Length is 0 or > MaxNameLength)
        {
            return false;
        }
        foreach (var range in name.AsSpan().Split('.'))
        {
            var label = name.AsSpan()[range];
            if (label.Length is 0 or > MaxLabelLength || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }
            foreach (var c in label)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_')
                {
                    return false;
                }
            }
        }
        return true;
    }
}
