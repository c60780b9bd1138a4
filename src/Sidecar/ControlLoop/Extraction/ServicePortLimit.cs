using Sidecar.Endpoints;

namespace Sidecar.ControlLoop.Extraction;

/// <summary>Keeps at most <see cref="EndpointLimits.MaxPortsPerService"/> ports of each service; pure, no logging.</summary>
internal static class ServicePortLimit
{
    /// <summary>
    /// Drops the highest ports of each service over the limit, so the kept ones are the same on every read
    /// (a tunnel that works is not swapped for another).
    /// </summary>
    /// <returns>Each service over the limit and how many ports it offered.</returns>
    public static IReadOnlyList<(string Service, int Offered)> Apply(Dictionary<EndpointKey, Endpoint> desired)
    {
        var perService = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var key in desired.Keys)
        {
            perService[key.Service] = perService.GetValueOrDefault(key.Service) + 1;
        }
        var over = new List<(string Service, int Offered)>();
        foreach (var (service, count) in perService)
        {
            if (count <= EndpointLimits.MaxPortsPerService)
            {
                continue;
            }
            over.Add((service, count));
            var dropped = desired.Keys.Where(k => k.Service == service)
                .OrderBy(k => k.Port).ThenBy(k => k.Transport, StringComparer.Ordinal)
                .Skip(EndpointLimits.MaxPortsPerService).ToList();
            foreach (var key in dropped)
            {
                desired.Remove(key);
            }
        }
        over.Sort(static (a, b) => string.CompareOrdinal(a.Service, b.Service));
        return over;
    }
}
