using System.Text.Json;

namespace Sidecar.Discovery.Kubernetes;

/// <summary>
/// Reading a kubeconfig (converted from YAML with every scalar as text) or an ExecCredential member by member,
/// without a generated model: a few fields do not need one. A number or boolean where text is expected is its text.
/// </summary>
internal static class KubeConfigJson
{
    /// <exception cref="KubeConfigException">The member is a mapping or a list.</exception>
    public static string? Text(JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value))
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            JsonValueKind.Null => null,
            _ => throw new KubeConfigException($"{name} is not a single value"),
        };
    }

    public static bool Flag(JsonElement parent, string name) =>
        string.Equals(Text(parent, name), "true", StringComparison.OrdinalIgnoreCase);

    /// <exception cref="KubeConfigException">The member is there but not a mapping.</exception>
    public static JsonElement? Object(JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.Object ? value : throw new KubeConfigException($"{name} is not a mapping");
    }

    /// <summary>A list member; null when it is absent.</summary>
    /// <exception cref="KubeConfigException">The member is there but not a list.</exception>
    public static JsonElement? List(JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.Array ? value : throw new KubeConfigException($"{name} is not a list");
    }
}
