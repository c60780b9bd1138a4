using System.Buffers.Binary;
using System.Text.Json;

namespace Sidecar.Tests.Tunnels.Native;

/// <summary>
/// One recording of a real frpc 0.61.2 visitor talking to a real frps 0.61.2 (Data/frp-0.61.2, copied from
/// shared/testdata): the chunks each side sent, as the relay saw them. Split into yamux frames here with
/// the test's own reading of the 12-byte header, independent of the product's yamux code.
/// </summary>
internal sealed class FrpTranscript
{
    public const string ToFrps = "visitor->frps";
    public const string ToVisitor = "frps->visitor";

    private FrpTranscript(IReadOnlyList<Chunk> chunks) => Chunks = chunks;

    public IReadOnlyList<Chunk> Chunks { get; }

    public static FrpTranscript Load(string scenario)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Tunnels", "Native", "Data", "frp-0.61.2", scenario + ".jsonl");
        var chunks = new List<Chunk>();
        foreach (var line in File.ReadLines(path))
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            chunks.Add(new Chunk(root.GetProperty("t").GetDouble(), root.GetProperty("conn").GetInt32(),
                root.GetProperty("dir").GetString()!, Convert.FromHexString(root.GetProperty("hex").GetString()!)));
        }
        return new FrpTranscript(chunks);
    }

    public static IEnumerable<string> Scenarios =>
        ["stcp-plain", "stcp-enc-comp", "sudp", "stcp-bad-secret", "login-bad-token"];

    /// <summary>Everything one side sent on one TCP connection.</summary>
    public byte[] Bytes(int conn, string dir) =>
        Chunks.Where(c => c.Conn == conn && c.Dir == dir).SelectMany(c => c.Bytes).ToArray();

    public IEnumerable<int> Connections => Chunks.Select(c => c.Conn).Distinct();

    public List<YamuxFrame> Frames(int conn, string dir)
    {
        var bytes = Bytes(conn, dir);
        var frames = new List<YamuxFrame>();
        var pos = 0;
        while (pos < bytes.Length)
        {
            var h = bytes.AsSpan(pos, 12);
            var type = h[1];
            var length = BinaryPrimitives.ReadUInt32BigEndian(h[8..]);
            var payload = type == 0 ? bytes.AsSpan(pos + 12, (int)length).ToArray() : [];
            frames.Add(new YamuxFrame(h[0], type, BinaryPrimitives.ReadUInt16BigEndian(h[2..]),
                BinaryPrimitives.ReadUInt32BigEndian(h[4..]), length, payload));
            pos += 12 + payload.Length;
        }
        return frames;
    }

    /// <summary>The bytes of one yamux stream in one direction: the concatenated data frames.</summary>
    public byte[] StreamData(int conn, string dir, uint streamId) =>
        Frames(conn, dir).Where(f => f.Type == 0 && f.StreamId == streamId).SelectMany(f => f.Payload).ToArray();

    internal sealed record Chunk(double T, int Conn, string Dir, byte[] Bytes);

    internal sealed record YamuxFrame(byte Version, byte Type, ushort Flags, uint StreamId, uint Length, byte[] Payload);
}
