using System.Buffers;
using System.Text.Json;

namespace Sidecar.Injection;

/// <summary>
/// The one JSON Patch (RFC 6902) that injects the sidecar. RFC 6902 §4.1: <c>add</c> needs the parent to exist,
/// so an absent list is added whole and a present one gets an element; <c>add</c> on an existing member
/// replaces it. RFC 6901 §3: "/" in a key is written "~1".
/// </summary>
internal static class PodPatchBuilder
{
    public static byte[] Build(PodObject pod, string podNamespace, InjectorOptions options,
        IEnumerable<KeyValuePair<string, string>> fromAnnotations)
    {
        var spec = pod.Spec ?? new PodSpec();
        var dns = DnsConfigMerge.Merge(spec.DnsConfig, options.Nameserver, podNamespace, options.ClusterDomain);
        var environment = SidecarContainerWriter.Environment(options, dns.Searches!, fromAnnotations);

        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();

            // First in initContainers: init containers start in order, so the app's own init containers resolve too.
            if (spec.InitContainers is null)
            {
                StartOp(json, "/spec/initContainers");
                json.WriteStartArray();
                SidecarContainerWriter.Write(json, options, environment);
                json.WriteEndArray();
            }
            else
            {
                StartOp(json, "/spec/initContainers/0");
                SidecarContainerWriter.Write(json, options, environment);
            }
            json.WriteEndObject();

            if (spec.Volumes is null)
            {
                StartOp(json, "/spec/volumes");
                json.WriteStartArray();
                SidecarContainerWriter.WriteVolume(json);
                json.WriteEndArray();
            }
            else
            {
                StartOp(json, "/spec/volumes/-");
                SidecarContainerWriter.WriteVolume(json);
            }
            json.WriteEndObject();

            if (PodCompatibility.NeedsPortSysctl(spec, options))
            {
                WritePortSysctl(json, spec.SecurityContext);
            }

            StartOp(json, "/spec/dnsPolicy");
            json.WriteStringValue("None");
            json.WriteEndObject();

            StartOp(json, "/spec/dnsConfig");
            WriteDnsConfig(json, dns);
            json.WriteEndObject();

            if (pod.Metadata?.Annotations is null)
            {
                StartOp(json, "/metadata/annotations");
                json.WriteStartObject();
                json.WriteString(InjectionSelection.StatusAnnotation, "injected");
                json.WriteEndObject();
            }
            else
            {
                StartOp(json, "/metadata/annotations/" + InjectionSelection.StatusAnnotation.Replace("~", "~0").Replace("/", "~1"));
                json.WriteStringValue("injected");
            }
            json.WriteEndObject();

            json.WriteEndArray();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The Pod-level safe sysctl (Kubernetes 1.22+) that lets any process of the Pod bind port 53.</summary>
    private static void WritePortSysctl(Utf8JsonWriter json, PodSecurityContext? context)
    {
        if (context is null)
        {
            StartOp(json, "/spec/securityContext");
            json.WriteStartObject();
            json.WriteStartArray("sysctls");
            WriteSysctl(json);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        else if (context.Sysctls is null)
        {
            StartOp(json, "/spec/securityContext/sysctls");
            json.WriteStartArray();
            WriteSysctl(json);
            json.WriteEndArray();
        }
        else
        {
            StartOp(json, "/spec/securityContext/sysctls/-");
            WriteSysctl(json);
        }
        json.WriteEndObject();
    }

    private static void WriteSysctl(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("name", PodCompatibility.PortSysctl);
        json.WriteString("value", "53");
        json.WriteEndObject();
    }

    /// <summary>Opens an add operation; the caller writes the value and closes the object.</summary>
    private static void StartOp(Utf8JsonWriter json, string path)
    {
        json.WriteStartObject();
        json.WriteString("op", "add");
        json.WriteString("path", path);
        json.WritePropertyName("value");
    }

    private static void WriteDnsConfig(Utf8JsonWriter json, PodDnsConfig dns)
    {
        json.WriteStartObject();
        json.WriteStartArray("nameservers");
        foreach (var server in dns.Nameservers!)
        {
            json.WriteStringValue(server);
        }
        json.WriteEndArray();
        json.WriteStartArray("searches");
        foreach (var search in dns.Searches!)
        {
            json.WriteStringValue(search);
        }
        json.WriteEndArray();
        json.WriteStartArray("options");
        foreach (var option in dns.Options!)
        {
            json.WriteStartObject();
            json.WriteString("name", option.Name);
            if (option.Value is not null)
            {
                json.WriteString("value", option.Value);
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
