using Sidecar.Dns.Wire;

namespace Sidecar.Tests.Dns.Wire;

public sealed class DnsWriterTests
{
    [Fact]
    public void Write_QuestionAnswerOpt_ExpectedOctets()
    {
        var buffer = new byte[512];
        var writer = new DnsWriter(buffer);

        Assert.True(writer.TryWriteHeader(new DnsHeader(0x1234, 0x8580, 1, 1, 0, 1)));
        Assert.True(writer.TryWriteQuestion(DnsTestMessages.Name("www.example.com"), DnsRecordType.A, 1));
        Assert.True(writer.TryWriteAddress(12, 300, [192, 0, 2, 1]));
        Assert.True(writer.TryWriteOpt(1232, 0));

        Assert.Equal(
            "123485800001000100000001" + "03777777076578616D706C6503636F6D0000010001" +
            "C00C000100010000012C0004C0000201" + "00002904D0000000000000",
            Convert.ToHexString(writer.Written));
    }

    [Fact]
    public void TryWriteSoa_Written_ParsesBackWithOwnerAsMname()
    {
        var buffer = new byte[512];
        var writer = new DnsWriter(buffer);
        writer.TryWriteHeader(new DnsHeader(1, 0x8400, 1, 0, 1, 0));
        writer.TryWriteQuestion(DnsTestMessages.Name("Name0.svc.test"), DnsRecordType.Aaaa, 1);

        Assert.True(writer.TryWriteSoa(12, 5, 7, 5));

        var message = ParsedMessage.Read(writer.Written);
        Assert.Equal(DnsReadStatus.Ok, message.Status);
        var soa = Assert.Single(message.Authority);
        Assert.Equal(("Name0.svc.test.", "Name0.svc.test."), (soa.Name, soa.SoaMname));
    }

    [Fact]
    public void TryWriteAddress_NoRoom_FalseAndPositionUnchanged()
    {
        var buffer = new byte[12 + 7 + 10];
        var writer = new DnsWriter(buffer);
        writer.TryWriteHeader(default);
        writer.TryWriteQuestion(DnsTestMessages.Name("a.b"), DnsRecordType.A, 1);
        var before = writer.Position;

        Assert.False(writer.TryWriteAddress(12, 5, [1, 2, 3, 4]));
        Assert.Equal(before, writer.Position);
    }

    [Theory]
    [InlineData(11)]       // into the header
    [InlineData(0x4000)]   // beyond the 14-bit pointer range
    public void TryWritePointer_BadOffset_False(int offset)
    {
        var writer = new DnsWriter(new byte[0x5000]);
        writer.TryWriteBytes(new byte[0x4800]);

        Assert.False(writer.TryWritePointer(offset));
    }

    [Fact]
    public void TryWriteHeader_BufferTooSmall_False() => Assert.False(new DnsWriter(new byte[11]).TryWriteHeader(default));
}
