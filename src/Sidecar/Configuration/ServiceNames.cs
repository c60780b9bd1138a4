using System.Globalization;
using Sidecar.Dns.Wire;

namespace Sidecar.Configuration;

/// <summary>Parses <c>--mapped-services</c> and checks each name by the DNS name rule (<see cref="DnsName.IsValid"/>).</summary>
internal static class ServiceNames
{
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
            if (!DnsName.IsValid(name))
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
}
