using System.Runtime.InteropServices;
using System.Text.Json;
using Sidecar.Discovery.Model;

namespace Sidecar.Discovery.Kubernetes;

/// <summary>A decoded watch line: the event type and either the resource or, for ERROR, the Status.</summary>
internal sealed record WatchLine(string Type, FrpServer? Server, KubeStatus? Status)
{
    /// <summary>A MODIFIED event that changed nothing we use, recognised on its bytes and never decoded (<see cref="ChurnFilter"/>).</summary>
    public static readonly WatchLine Unchanged = new("MODIFIED", null, null) { IsUnchanged = true };

    public bool IsUnchanged { get; private init; }

    /// <exception cref="JsonException">The line is not a watch event at all.</exception>
    public static WatchLine Parse(string line) => Parse(System.Text.Encoding.UTF8.GetBytes(line));

    /// <exception cref="JsonException">The line is not a watch event at all.</exception>
    public static WatchLine Parse(ReadOnlySpan<byte> line)
    {
        try
        {
            // One pass straight into the model from the bytes: the common case, and the one frps repeats every second.
            var typed = JsonRead.Whole(line, WatchEventConverter.ReadEvent) ?? throw new JsonException("a null watch event");
            if (typed.Type != "ERROR")
            {
                return new WatchLine(typed.Type ?? "", typed.Object, null);
            }
        }
        catch (JsonException)
        {
            // Fall through: the object does not fit the model; read it raw to name it in the warning.
        }
        var raw = JsonSerializer.Deserialize(line, FrpJsonContext.Default.RawWatchEvent) ?? throw new JsonException("a null watch event");
        if (raw.Type == "ERROR")
        {
            var status = raw.Object.ValueKind == JsonValueKind.Object ? raw.Object.Deserialize(FrpJsonContext.Default.KubeStatus) : null;
            return new WatchLine("ERROR", null, status);
        }
        return new WatchLine(raw.Type ?? "", Decode(raw.Object), null);
    }

    private static FrpServer Decode(JsonElement element)
    {
        try
        {
            return JsonRead.Whole(JsonMarshal.GetRawUtf8Value(element), FrpServerReader.Read) ?? FrpServer.Malformed(null, "null object");
        }
        catch (JsonException e)
        {
            var reader = new Utf8JsonReader(JsonMarshal.GetRawUtf8Value(element));
            reader.Read();
            return FrpServer.Malformed(ItemName.Find(reader), e.Message);
        }
    }
}
