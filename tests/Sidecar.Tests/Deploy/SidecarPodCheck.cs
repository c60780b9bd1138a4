using System.Net;
using System.Text.Json.Nodes;
using Sidecar.Configuration;
using Sidecar.Dns.Serving;
using Sidecar.Injection;

namespace Sidecar.Tests.Deploy;

/// <summary>
/// What makes a Pod with the sidecar work, checked the same way on deploy/example-pod.yaml (written by hand)
/// and on a Pod the webhook patched: the sidecar's own settings loader reads the container's args and
/// environment with the resolv.conf the kubelet would write from the Pod's dnsConfig, and the Pod must agree
/// with the result (nameserver, search domains, probe port, state directory, port 53). Returns the problems
/// found, so a test of a broken Pod can show that each check fails.
/// </summary>
internal static class SidecarPodCheck
{
    public static List<string> Problems(JsonNode pod, string clusterDomain = "cluster.local")
    {
        var problems = new List<string>();
        var spec = pod["spec"]!;
        var ns = (string?)pod["metadata"]?["namespace"] ?? "default";
        var init = spec["initContainers"]?.AsArray() ?? [];
        if (spec["containers"]?.AsArray().Any(c => (string?)c!["name"] == InjectionSelection.ContainerName) == true)
        {
            problems.Add("the sidecar is an ordinary container: it starts alongside the app, not before it");
        }
        else if (init.Count == 0 || (string?)init[0]!["name"] != InjectionSelection.ContainerName)
        {
            problems.Add("the sidecar is not the first init container (the app's init containers would start without names)");
        }
        var sidecar = init.FirstOrDefault(c => (string?)c!["name"] == InjectionSelection.ContainerName);
        if (sidecar is null)
        {
            return problems;
        }
        if ((string?)sidecar["restartPolicy"] != "Always")
        {
            problems.Add("the sidecar init container has no restartPolicy: Always (not a native sidecar: the app would wait for it to exit)");
        }

        var dnsConfig = spec["dnsConfig"];
        var nameservers = DeployManifests.Strings(dnsConfig?["nameservers"]);
        var searches = DeployManifests.Strings(dnsConfig?["searches"]);
        var resolvConf = ResolvConf.Parse($"nameserver {string.Join("\nnameserver ", nameservers)}\nsearch {string.Join(' ', searches)}\n");
        Settings settings;
        try
        {
            var env = (sidecar["env"]?.AsArray() ?? []).Where(e => e!["value"] is not null)
                .ToDictionary(e => (string)e!["name"]!, e => (string)e!["value"]!);
            settings = SettingsLoader.Load(CommandLine.Parse(DeployManifests.Strings(sidecar["args"])), env.GetValueOrDefault, resolvConf);
        }
        catch (SettingsException e)
        {
            problems.Add($"the sidecar would exit 2: {e.Message}");
            return problems;
        }

        if ((string?)spec["dnsPolicy"] != "None")
        {
            problems.Add($"dnsPolicy is {(string?)spec["dnsPolicy"] ?? "ClusterFirst"}, not None: the Pod's resolv.conf would not name the sidecar");
        }
        if (nameservers.FirstOrDefault() != settings.DnsAddr.Address.ToString() || settings.DnsAddr.Port != 53)
        {
            problems.Add($"the first nameserver ({nameservers.FirstOrDefault()}) is not the sidecar's DNS address {settings.DnsAddr} (resolv.conf means port 53)");
        }
        string[] namespaceSearches = [$"{ns}.svc.{clusterDomain}", $"svc.{clusterDomain}", clusterDomain];
        if (!searches.Take(3).SequenceEqual(namespaceSearches))
        {
            problems.Add($"the searches [{string.Join(", ", searches)}] do not start with the namespace's [{string.Join(", ", namespaceSearches)}]");
        }
        if (!settings.DnsSearch.Take(3).SequenceEqual(namespaceSearches))
        {
            problems.Add($"the sidecar's --dns-search [{string.Join(", ", settings.DnsSearch)}] does not start with the namespace's searches");
        }
        if (dnsConfig?["options"]?.AsArray().Any(o => (string?)o!["name"] == "ndots" && (string?)o["value"] == "5") != true)
        {
            problems.Add("no ndots:5 option: short names such as mysql.abc would not go through the search domains first");
        }
        if (settings.DnsMiss == DnsMissPolicy.Forward
            && (settings.DnsUpstream.Count == 0 || settings.DnsUpstream.Any(u => IPAddress.IsLoopback(u.Address))))
        {
            problems.Add($"--dns-miss forward with upstream [{string.Join(", ", settings.DnsUpstream)}]: names it does not map would go nowhere or back to itself");
        }

        var security = sidecar["securityContext"];
        var added = DeployManifests.Strings(security?["capabilities"]?["add"]);
        var portStart = spec["securityContext"]?["sysctls"]?.AsArray()
            .Where(s => (string?)s!["name"] == PodCompatibility.PortSysctl).Select(s => int.Parse((string)s!["value"]!, System.Globalization.CultureInfo.InvariantCulture))
            .Cast<int?>().FirstOrDefault();
        if (settings.DnsAddr.Port < 1024 && !added.Contains("NET_BIND_SERVICE") && !(portStart <= settings.DnsAddr.Port))
        {
            problems.Add($"port {settings.DnsAddr.Port} is privileged and the sidecar has neither NET_BIND_SERVICE nor the {PodCompatibility.PortSysctl} sysctl");
        }
        if ((bool?)security?["allowPrivilegeEscalation"] != false || (bool?)security?["readOnlyRootFilesystem"] != true
            || !DeployManifests.Strings(security?["capabilities"]?["drop"]).Contains("ALL"))
        {
            problems.Add("the sidecar's securityContext is not allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, drop ALL");
        }

        CheckProbes(sidecar, settings, problems);
        CheckResources(sidecar, problems);
        CheckStateDirectory(spec, sidecar, settings, problems);
        return problems;
    }

    private static void CheckProbes(JsonNode sidecar, Settings settings, List<string> problems)
    {
        foreach (var (probe, path) in new[] { ("startupProbe", "/readyz"), ("readinessProbe", "/readyz"), ("livenessProbe", "/healthz") })
        {
            var get = sidecar[probe]?["httpGet"];
            var port = get?["port"] is JsonValue v && v.TryGetValue<int>(out var number) ? number
                : sidecar["ports"]?.AsArray().Where(p => (string?)p!["name"] == (string?)get?["port"]).Select(p => (int?)p!["containerPort"]).FirstOrDefault();
            if ((string?)get?["path"] != path || port != settings.AdminAddr?.Port)
            {
                problems.Add($"{probe} is not an httpGet of {path} on the admin port {settings.AdminAddr?.Port}");
            }
        }
    }

    private static void CheckResources(JsonNode sidecar, List<string> problems)
    {
        var request = (string?)sidecar["resources"]?["requests"]?["memory"];
        var limit = (string?)sidecar["resources"]?["limits"]?["memory"];
        if (request is null || limit is null || ResourceQuantity.Parse(request) > ResourceQuantity.Parse(limit))
        {
            problems.Add($"memory request {request} and limit {limit}: both needed, the request at most the limit");
        }
    }

    private static void CheckStateDirectory(JsonNode spec, JsonNode sidecar, Settings settings, List<string> problems)
    {
        var stateDir = settings.StateDir ?? "";
        var mount = sidecar["volumeMounts"]?.AsArray().FirstOrDefault(m => stateDir.StartsWith(((string)m!["mountPath"]!).TrimEnd('/') + "/", StringComparison.Ordinal));
        var volume = spec["volumes"]?.AsArray().FirstOrDefault(v => (string?)v!["name"] == (string?)mount?["name"]);
        if (volume?["emptyDir"] is null)
        {
            // The root file system is read-only; the state directory is made 0700 below a writable mount.
            problems.Add($"the state directory {stateDir} is not below an emptyDir mount of the sidecar");
        }
    }
}
