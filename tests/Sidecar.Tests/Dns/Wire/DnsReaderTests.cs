using Sidecar.Dns.Wire;

namespace Sidecar.Tests.Dns.Wire;

public sealed class DnsReaderTests
{
    // A response to "www.example.com A" with a compressed answer (192.0.2.1, TTL 300) and an OPT record.
    private const string Response =
        "1234 8580 0001 0001 0000 0001" +
        "03777777076578616D706C6503636F6D00 0001 0001" +
        "C00C 0001 0001 0000012C 0004 C0000201" +
        "00 0029 04D0 00000000 0000";

    [Fact]
    public void Read_ValidResponse_AllSections()
    {
        var message = ParsedMessage.Read(DnsTestMessages.Hex(Response));

        Assert.Equal(DnsReadStatus.Ok, message.Status);
        Assert.Equal(0x1234, message.Header.Id);
        Assert.True(message.Header.IsResponse);
        Assert.Equal("www.example.com.", message.QuestionName);
        var answer = Assert.Single(message.Answers);
        Assert.Equal(("www.example.com.", DnsRecordType.A, 300u), (answer.Name, answer.Type, answer.Ttl));
        Assert.Equal(new byte[] { 192, 0, 2, 1 }, answer.Data);
        Assert.Equal(DnsRecordType.Opt, Assert.Single(message.Additional).Type);
    }

    [Fact]
    public void Read_EveryPrefixOfValidMessage_FailsCleanly()
    {
        var bytes = DnsTestMessages.Hex(Response);
        for (var length = 0; length < bytes.Length; length++)
        {
            var message = ParsedMessage.Read(bytes.AsSpan(0, length));
            Assert.Equal(DnsReadStatus.Truncated, message.Status);
        }
    }

    [Theory]
    [InlineData("1234 0100 0001 0005 0000 0000 0161 00 0001 0001")]      // ANCOUNT says 5, there are none
    [InlineData("1234 0100 0003 0000 0000 0000 0161 00 0001 0001")]      // QDCOUNT says 3, there is one
    [InlineData("1234 0100 0001 0000 0000 FFFF 0161 00 0001 0001")]      // ARCOUNT 65535
    [InlineData("1234 0100 0001 0001 0000 0000 0161 00 0001 0001 C00C 0001 0001 00000000 0010 01020304")] // RDLENGTH past the end
    public void Read_CountsThatLie_Truncated(string hex) =>
        Assert.Equal(DnsReadStatus.Truncated, ParsedMessage.Read(DnsTestMessages.Hex(hex)).Status);

    [Theory]
    [InlineData("00 0029 1000 00000000 0000", 4096, 0, false)]
    [InlineData("00 0029 0200 00018000 0000", 512, 1, true)]            // version 1, DO set
    [InlineData("00 0029 FFFF 00000000 0008 000A 0004 01020304", 65535, 0, false)] // one option (cookie-like)
    public void OptParse_Valid_PayloadVersionDo(string hex, int payload, int version, bool dnssecOk)
    {
        var record = ReadSingleRecord(hex, out var status);

        Assert.Equal(DnsReadStatus.Ok, status);
        Assert.Equal(new DnsOpt((ushort)payload, 0, (byte)version, dnssecOk), record);
    }

    [Theory]
    [InlineData("0161 00 0029 1000 00000000 0000")]                       // owner is not the root (RFC 6891 §6.1.2)
    [InlineData("00 0029 1000 00000000 0003 000A00")]                     // option header cut short
    [InlineData("00 0029 1000 00000000 0006 000A 0004 0102")]             // option longer than RDATA
    public void OptParse_Malformed_BadRecordData(string hex)
    {
        ReadSingleRecord(hex, out var status);

        Assert.Equal(DnsReadStatus.BadRecordData, status);
    }

    private static DnsOpt ReadSingleRecord(string hex, out DnsReadStatus status)
    {
        var bytes = DnsTestMessages.Hex(hex);
        var reader = new DnsReader(bytes);
        status = reader.ReadRecord(new byte[DnsLimits.MaxNameLength], out var record);
        if (status != DnsReadStatus.Ok)
        {
            return default;
        }
        status = DnsOpt.Parse(record, out var opt);
        return opt;
    }

    [Theory]
    [InlineData("00 0001 0001 00000005 0004 7F000001", "7F000001")]
    [InlineData("00 001C 0001 00000005 0010 FD000000000000000000000000000007", "FD000000000000000000000000000007")]
    [InlineData("00 0001 0001 00000005 0003 7F0000", null)]        // A of 3 octets
    [InlineData("00 001C 0001 00000005 0004 7F000001", null)]      // AAAA of 4 octets
    [InlineData("00 0010 0001 00000005 0004 7F000001", null)]      // TXT is not an address
    public void ReadAddress_ARecords_OnlyRightLengths(string hex, string? expected)
    {
        var bytes = DnsTestMessages.Hex(hex);
        var reader = new DnsReader(bytes);
        Assert.Equal(DnsReadStatus.Ok, reader.ReadRecord(new byte[DnsLimits.MaxNameLength], out var record));

        var status = record.ReadAddress(out var address);

        Assert.Equal(expected is null ? DnsReadStatus.BadRecordData : DnsReadStatus.Ok, status);
        Assert.Equal(expected ?? "", Convert.ToHexString(address));
    }

    [Fact]
    public void ReadHeader_ShortMessage_Truncated()
    {
        var reader = new DnsReader(new byte[11]);

        Assert.Equal(DnsReadStatus.Truncated, reader.ReadHeader(out _));
    }

    [Fact]
    public void ReadQuestion_SmallNameBuffer_BufferTooSmall()
    {
        var reader = new DnsReader(DnsTestMessages.Hex("0161 00 0001 0001"));

        Assert.Equal(DnsReadStatus.BufferTooSmall, reader.ReadQuestion(new byte[10], out _));
    }
}
