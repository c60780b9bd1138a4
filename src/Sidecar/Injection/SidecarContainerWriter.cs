using System.Text.Json;
using Sidecar.Configuration;

namespace Sidecar.Injection;

/// <summary>
/// Writes the injected container as deploy/example-pod.yaml declares it by hand: a native sidecar (an init
/// container with <c>restartPolicy: Always</c>, KEP-753, Kubernetes 1.29+) whose startup probe on /readyz holds
/// the app back until the names resolve.
/// </summary>
internal static class SidecarContainerWriter
{
    public const string VolumeName = "sidecar-state";

    /// <summary>The webhook's defaults, then the Pod's annotations over them (same variable, later wins).</summary>
    public static List<KeyValuePair<string, string>> Environment(InjectorOptions options, IReadOnlyList<string> searches,
        IEnumerable<KeyValuePair<string, string>> fromAnnotations)
    {
        var env = new List<KeyValuePair<string, string>>
        {
            new(SettingCatalog.IpRange.Env, options.DefaultIpRange),
            // The Pod's own resolv.conf now names the sidecar, so names it does not map go to the cluster DNS.
            new(SettingCatalog.DnsMiss.Env, "forward"),
            new(SettingCatalog.DnsUpstream.Env, options.ClusterDns),
            new(SettingCatalog.DnsSearch.Env, string.Join(',', searches)),
            new(SettingCatalog.DnsAddr.Env, options.Nameserver + ":53"),
            new(SettingCatalog.AdminAddr.Env, $"0.0.0.0:{options.AdminPort}"),
            new(SettingCatalog.StateDir.Env, options.StateMount.TrimEnd('/') + "/sidecar"),
        };
        foreach (var pair in fromAnnotations)
        {
            var index = env.FindIndex(e => e.Key == pair.Key);
            if (index >= 0)
            {
                env[index] = pair;
            }
            else
            {
                env.Add(pair);
            }
        }
        return env;
    }

    public static void Write(Utf8JsonWriter json, InjectorOptions options, List<KeyValuePair<string, string>> environment)
    {
        json.WriteStartObject();
        json.WriteString("name", InjectionSelection.ContainerName);
        json.WriteString("image", options.Image);
        json.WriteString("restartPolicy", "Always");
        json.WriteStartArray("env");
        foreach (var (name, value) in environment)
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("value", value);
            json.WriteEndObject();
        }
        json.WriteEndArray();

        WriteResources(json, options.Resources);

        json.WriteStartObject("securityContext");
        json.WriteBoolean("allowPrivilegeEscalation", false);
        json.WriteBoolean("readOnlyRootFilesystem", true);
        json.WriteStartObject("capabilities");
        WriteStrings(json, "drop", "ALL");
        if (options.Port53 != Port53Access.Sysctl)
        {
            // Port 53 on 127.0.0.2 as a non-root user: the image's file capability needs it in the bounding set.
            WriteStrings(json, "add", "NET_BIND_SERVICE");
        }
        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartArray("ports");
        json.WriteStartObject();
        json.WriteString("name", "sidecar-admin");
        json.WriteNumber("containerPort", options.AdminPort);
        json.WriteEndObject();
        json.WriteEndArray();

        WriteProbe(json, "startupProbe", "/readyz", options.AdminPort, periodSeconds: 1, failureThreshold: 60);
        WriteProbe(json, "readinessProbe", "/readyz", options.AdminPort, periodSeconds: 5, failureThreshold: 3);
        WriteProbe(json, "livenessProbe", "/healthz", options.AdminPort, periodSeconds: 10, failureThreshold: 3);

        json.WriteStartArray("volumeMounts");
        json.WriteStartObject();
        json.WriteString("name", VolumeName);
        json.WriteString("mountPath", options.StateMount);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>A memory-backed emptyDir: frpc's configuration files hold the token and never touch a disk.</summary>
    public static void WriteVolume(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("name", VolumeName);
        json.WriteStartObject("emptyDir");
        json.WriteString("medium", "Memory");
        json.WriteString("sizeLimit", "16Mi");
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>Only the quantities set; an empty requests or limits object is left out.</summary>
    private static void WriteResources(Utf8JsonWriter json, SidecarResources resources)
    {
        json.WriteStartObject("resources");
        WriteQuantities(json, "requests", resources.CpuRequest, resources.MemoryRequest);
        WriteQuantities(json, "limits", resources.CpuLimit, resources.MemoryLimit);
        json.WriteEndObject();
    }

    private static void WriteQuantities(Utf8JsonWriter json, string name, string? cpu, string? memory)
    {
        if (cpu is null && memory is null)
        {
            return;
        }
        json.WriteStartObject(name);
        if (cpu is not null)
        {
            json.WriteString("cpu", cpu);
        }
        if (memory is not null)
        {
            json.WriteString("memory", memory);
        }
        json.WriteEndObject();
    }

    private static void WriteProbe(Utf8JsonWriter json, string name, string path, int port, int periodSeconds, int failureThreshold)
    {
        json.WriteStartObject(name);
        json.WriteStartObject("httpGet");
        json.WriteString("path", path);
        json.WriteNumber("port", port);
        json.WriteEndObject();
        json.WriteNumber("periodSeconds", periodSeconds);
        json.WriteNumber("failureThreshold", failureThreshold);
        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, string value)
    {
        json.WriteStartArray(name);
        json.WriteStringValue(value);
        json.WriteEndArray();
    }
}
