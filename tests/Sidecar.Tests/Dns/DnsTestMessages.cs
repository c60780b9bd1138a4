using System.Buffers.Binary;
using Sidecar.Dns.Wire;

namespace Sidecar.Tests.Dns;

/// <summary>Builds queries for tests, byte by byte (not with the product's writer, so the two check each other).</summary>
internal static class DnsTestMessages
{
    public static byte[] Query(string name, DnsRecordType type = DnsRecordType.A, ushort id = 0x1234,
        ushort flags = 0x0100, int? ednsPayload = null, byte ednsVersion = 0, ushort qclass = 1)
    {
        var bytes = new List<byte>();
        AddUInt16(bytes, id);
        AddUInt16(bytes, flags);
        AddUInt16(bytes, 1);
        AddUInt16(bytes, 0);
        AddUInt16(bytes, 0);
        AddUInt16(bytes, (ushort)(ednsPayload is null ? 0 : 1));
        bytes.AddRange(Name(name));
        AddUInt16(bytes, (ushort)type);
        AddUInt16(bytes, qclass);
        if (ednsPayload is { } payload)
        {
            bytes.AddRange(Opt((ushort)payload, ednsVersion));
        }
        return [.. bytes];
    }

    /// <summary>An OPT record: root owner, type 41, class = payload size, TTL = version, no options.</summary>
    public static byte[] Opt(ushort payload, byte version = 0, bool dnssecOk = false) =>
        [0, 0, 41, (byte)(payload >> 8), (byte)payload, 0, version, (byte)(dnssecOk ? 0x80 : 0), 0, 0, 0];

    public static byte[] Name(string name)
    {
        var bytes = new List<byte>();
        foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(label.Select(c => (byte)c));
        }
        bytes.Add(0);
        return [.. bytes];
    }

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    private static void AddUInt16(List<byte> bytes, ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, value);
        bytes.AddRange(b.ToArray());
    }
}
