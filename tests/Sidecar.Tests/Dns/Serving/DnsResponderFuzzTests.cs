using System.Buffers.Binary;
using System.Net;
using Sidecar.Dns;
using Sidecar.Dns.Serving;
using Sidecar.Dns.Wire;

namespace Sidecar.Tests.Dns.Serving;

/// <summary>
/// Seeded fuzzing of the whole responder: random packets and mutations of valid queries must never
/// throw, and every response must parse completely with our reader and stay within the client's limit.
/// </summary>
public sealed class DnsResponderFuzzTests
{
    private const int Packets = 1_000_000;

    [Fact]
    public void Respond_MillionRandomAndMutatedPackets_NoExceptionAndValidResponses()
    {
        var random = new Random(20261125);
        var responder = new DnsResponder(DnsMissPolicy.NxDomain);
        responder.Table = NameTable.Build(
            Enumerable.Range(0, 100).Select(i => new DnsMapping($"name{i}.svc.test", IPAddress.Parse($"127.77.0.{i + 1}"))).ToArray(),
            ["default.svc.cluster.local"], TimeSpan.FromSeconds(5), 1);
        byte[][] seeds =
        [
            DnsTestMessages.Query("name7.svc.test"),
            DnsTestMessages.Query("NAME8.svc.test", DnsRecordType.Aaaa, ednsPayload: 4096),
            DnsTestMessages.Query("miss.svc.test", DnsRecordType.Any, ednsPayload: 512),
            DnsTestMessages.Query("name9.svc.test.default.svc.cluster.local", DnsRecordType.Txt, ednsPayload: 1232, ednsVersion: 1),
            DnsTestMessages.Hex("1234 0100 0001 0000 0000 0000 C000 0001 0001"),
        ];
        var packet = new byte[700];
        var response = new byte[DnsLimits.OurUdpPayload];
        var tcpResponse = new byte[DnsLimits.MaxMessageLength];
        var replies = 0;

        for (var i = 0; i < Packets; i++)
        {
            var length = i % 4 == 0 ? RandomPacket(random, packet) : Mutate(random, seeds[random.Next(seeds.Length)], packet);
            var overTcp = i % 8 == 7;
            var buffer = overTcp ? tcpResponse : response;
            var request = packet.AsSpan(0, length);

            var result = responder.Respond(request, buffer, overTcp);

            if (result.Outcome != DnsOutcome.Reply)
            {
                continue;
            }
            replies++;
            Assert.True(result.Length <= result.SizeLimit, $"packet {i}: {result.Length} > {result.SizeLimit}");
            Assert.True(overTcp || result.Length <= (HasOpt(buffer.AsSpan(0, result.Length)) ? DnsLimits.OurUdpPayload : DnsLimits.ClassicUdpPayload));
            Assert.True(ReadsCompletely(buffer.AsSpan(0, result.Length), request), $"packet {i}: {Convert.ToHexString(request)}");
        }
        // The mutations keep many packets valid enough to be answered; a fuzzer that only hits "drop" tests nothing.
        Assert.True(replies > Packets / 2, $"only {replies} replies");
    }

    private static int RandomPacket(Random random, byte[] packet)
    {
        var length = random.Next(0, 80) == 0 ? random.Next(0, packet.Length) : random.Next(0, 64);
        random.NextBytes(packet.AsSpan(0, length));
        if (length > 2 && random.Next(2) == 0)
        {
            packet[2] &= 0x7F;   // QR=0 so the packet gets past the first check
        }
        return length;
    }

    private static int Mutate(Random random, byte[] seed, byte[] packet)
    {
        seed.CopyTo(packet, 0);
        var length = seed.Length;
        var edits = random.Next(0, 4);
        for (var e = 0; e < edits; e++)
        {
            switch (random.Next(5))
            {
                case 0: packet[random.Next(length)] = (byte)random.Next(256); break;
                case 1: length = random.Next(length + 1); break;
                case 2 when length > 12: BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4 + 2 * random.Next(4)), (ushort)random.Next(4)); break;
                case 3 when length < packet.Length - 16: random.NextBytes(packet.AsSpan(length, 16)); length += random.Next(17); break;
                case 4 when length > 12: packet[12 + random.Next(length - 12)] = (byte)(0xC0 | random.Next(4)); break;
            }
        }
        return length;
    }

    private static bool HasOpt(ReadOnlySpan<byte> response) => BinaryPrimitives.ReadUInt16BigEndian(response[10..]) > 0;

    /// <summary>Reads every section the header announces; the ID must be the request's.</summary>
    private static bool ReadsCompletely(ReadOnlySpan<byte> response, ReadOnlySpan<byte> request)
    {
        Span<byte> name = stackalloc byte[DnsLimits.MaxNameLength];
        Span<byte> second = stackalloc byte[DnsLimits.MaxNameLength];
        var reader = new DnsReader(response);
        if (reader.ReadHeader(out var header) != DnsReadStatus.Ok || !header.IsResponse
            || header.Id != BinaryPrimitives.ReadUInt16BigEndian(request) || header.QuestionCount > 1)
        {
            return false;
        }
        if (header.QuestionCount == 1 && reader.ReadQuestion(name, out _) != DnsReadStatus.Ok)
        {
            return false;
        }
        var records = header.AnswerCount + header.AuthorityCount + header.AdditionalCount;
        for (var r = 0; r < records; r++)
        {
            if (reader.ReadRecord(name, out var record) != DnsReadStatus.Ok
                || record.Type == DnsRecordType.Opt && DnsOpt.Parse(record, out _) != DnsReadStatus.Ok
                || record.Type is DnsRecordType.A or DnsRecordType.Aaaa && record.ReadAddress(out _) != DnsReadStatus.Ok
                || record.Type == DnsRecordType.Soa && SoaRecord.Read(response, record, name, second, out _) != DnsReadStatus.Ok)
            {
                return false;
            }
        }
        return reader.Remaining == 0;
    }
}
