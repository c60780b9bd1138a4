using Microsoft.Extensions.Logging;
using Sidecar.Discovery.Model;
using Sidecar.Endpoints;
using Sidecar.Logging;

namespace Sidecar.ControlLoop.Extraction;

/// <summary>
/// Computes the desired endpoints from all known resources. Per-resource results are cached by object
/// identity, so a pass after one resource changed re-reads only that one. Each problem is warned about once
/// while it persists (the first few of a read in detail, the rest in one summary line), a contested service
/// is resolved deterministically (oldest resource, then name), and each service keeps a bounded number of ports.
/// Everything a resource wrote goes through <see cref="UntrustedText"/> before it reaches a log line.
/// </summary>
internal sealed partial class EndpointExtractor(EndpointRules rules, ILogger<EndpointExtractor> logger)
{
    private readonly Dictionary<string, (FrpServer Source, ResourceEndpoints Result)> _cache = new(StringComparer.Ordinal);
    private HashSet<ItemProblem> _warned = [];
    private readonly Dictionary<EndpointKey, string> _chosen = [];
    private HashSet<string> _capped = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<EndpointKey, Endpoint> Extract(IReadOnlyCollection<FrpServer> servers)
    {
        var results = new List<ResourceEndpoints>(servers.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var server in servers)
        {
            var key = server.Name;
            if (!_cache.TryGetValue(key, out var cached) || !ReferenceEquals(cached.Source, server))
            {
                cached = (server, ResourceEndpointReader.Read(server, rules));
                _cache[key] = cached;
            }
            seen.Add(key);
            results.Add(cached.Result);
        }
        foreach (var gone in _cache.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            _cache.Remove(gone);
        }

        WarnNewProblems(results);
        // Oldest first, then by name: the first resource offering a key wins it.
        results.Sort(static (a, b) => a.Created != b.Created ? a.Created.CompareTo(b.Created) : string.CompareOrdinal(a.Resource, b.Resource));
        var desired = new Dictionary<EndpointKey, Endpoint>();
        var contested = new Dictionary<EndpointKey, List<string>>();
        foreach (var result in results)
        {
            foreach (var endpoint in result.Endpoints)
            {
                if (desired.TryAdd(endpoint.Key, endpoint))
                {
                    continue;
                }
                var winner = desired[endpoint.Key];
                if (winner.Server.Resource == endpoint.Server.Resource)
                {
                    desired[endpoint.Key] = OneOfTwo(winner, endpoint);
                    continue;
                }
                if (!contested.TryGetValue(endpoint.Key, out var losers))
                {
                    contested[endpoint.Key] = losers = [];
                }
                losers.Add(endpoint.Server.Resource);
            }
        }
        LogChoices(desired, contested);
        WarnCapped(ServicePortLimit.Apply(desired));
        return desired;
    }

    /// <summary>
    /// Two proxies of one resource map to one port. An xtcp and an stcp proxy of the service become one xtcp
    /// visitor that falls back to the stcp proxy when hole punching fails; otherwise the smaller proxy name
    /// wins (e.g. a port override folding two proxies together).
    /// </summary>
    private static Endpoint OneOfTwo(Endpoint a, Endpoint b)
    {
        if (b.Traits.Fallback == a.ProxyType)
        {
            (a, b) = (b, a);
        }
        if (a.Traits.Fallback == b.ProxyType && a.FallbackProxyName is null)
        {
            return a with { FallbackProxyName = b.ProxyName, FallbackSecretKey = b.SecretKey };
        }
        return string.CompareOrdinal(b.ProxyName, a.ProxyName) < 0 ? b : a;
    }

    /// <summary>
    /// A resource with 10,000 bad items gives the first <see cref="EndpointLimits.MaxProblemDetails"/> warnings
    /// and one summary, not 10,000 lines; the rest are at debug level.
    /// </summary>
    private void WarnNewProblems(List<ResourceEndpoints> results)
    {
        var now = new HashSet<ItemProblem>();
        var fresh = 0;
        var resources = new HashSet<string>(StringComparer.Ordinal);
        foreach (var result in results)
        {
            foreach (var problem in result.Problems)
            {
                if (!now.Add(problem) || _warned.Contains(problem))
                {
                    continue;
                }
                fresh++;
                resources.Add(problem.Resource);
                var (resource, item, reason) = (UntrustedText.ForLog(problem.Resource), UntrustedText.ForLog(problem.Item),
                    UntrustedText.ForLog(problem.Reason, UntrustedText.MaxMessageLength));
                if (fresh <= EndpointLimits.MaxProblemDetails)
                {
                    LogItemSkipped(resource, item, reason);
                }
                else
                {
                    LogItemSkippedDetail(resource, item, reason);
                }
            }
        }
        if (fresh > EndpointLimits.MaxProblemDetails)
        {
            LogItemsSkippedSummary(fresh, resources.Count, now.Count, EndpointLimits.MaxProblemDetails);
        }
        _warned = now;
    }

    private void WarnCapped(IReadOnlyList<(string Service, int Offered)> over)
    {
        var now = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (service, offered) in over)
        {
            now.Add(service);
            if (!_capped.Contains(service))
            {
                LogPortsCapped(service, offered, EndpointLimits.MaxPortsPerService);
            }
        }
        _capped = now;
    }

    private void LogChoices(Dictionary<EndpointKey, Endpoint> desired, Dictionary<EndpointKey, List<string>> contested)
    {
        foreach (var (key, losers) in contested)
        {
            var chosen = desired[key].Server.Resource;
            if (!_chosen.TryGetValue(key, out var previous) || previous != chosen)
            {
                LogContested(key.ToString(), UntrustedText.ForLog(chosen),
                    UntrustedText.ForLog(string.Join(", ", losers.Select(l => UntrustedText.ForLog(l))), UntrustedText.MaxMessageLength));
            }
        }
        foreach (var (key, previous) in _chosen)
        {
            if (desired.TryGetValue(key, out var now) && now.Server.Resource != previous && !contested.ContainsKey(key))
            {
                LogFailover(key.ToString(), UntrustedText.ForLog(previous), UntrustedText.ForLog(now.Server.Resource));
            }
        }
        _chosen.Clear();
        foreach (var key in contested.Keys)
        {
            _chosen[key] = desired[key].Server.Resource;
        }
    }
}
