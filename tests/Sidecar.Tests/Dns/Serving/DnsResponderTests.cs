using System.Net;
using Sidecar.Dns;
using Sidecar.Dns.Serving;
using Sidecar.Dns.Wire;

namespace Sidecar.Tests.Dns.Serving;

public sealed class DnsResponderTests
{
    private static DnsResponder Responder(DnsMissPolicy policy = DnsMissPolicy.NxDomain, params string[] search)
    {
        var responder = new DnsResponder(policy);
        responder.Table = NameTable.Build(
            [new DnsMapping("name0.svc.test", IPAddress.Parse("127.77.0.10")), new DnsMapping("v6.svc.test", IPAddress.Parse("fd00::7"))],
            search, TimeSpan.FromSeconds(5), 42);
        return responder;
    }

    private static (DnsResponse Result, ParsedMessage Message) Ask(DnsResponder responder, byte[] request, bool overTcp = false, int buffer = 1232)
    {
        var response = new byte[buffer];
        var result = responder.Respond(request, response, overTcp);
        return (result, ParsedMessage.Read(response.AsSpan(0, result.Length)));
    }

    [Fact]
    public void Respond_MappedNameA_AuthoritativeAnswerWithTtl()
    {
        var (result, message) = Ask(Responder(), DnsTestMessages.Query("name0.svc.test"));

        Assert.Equal(DnsOutcome.Reply, result.Outcome);
        Assert.Equal(DnsReadStatus.Ok, message.Status);
        Assert.Equal((0x1234, DnsResponseCode.NoError), (message.Header.Id, message.ResponseCode));
        Assert.True(message.Has(DnsHeaderFlags.AuthoritativeAnswer) && message.Has(DnsHeaderFlags.RecursionDesired));
        Assert.False(message.Has(DnsHeaderFlags.RecursionAvailable));
        var answer = Assert.Single(message.Answers);
        Assert.Equal((DnsRecordType.A, 5u), (answer.Type, answer.Ttl));
        Assert.Equal(new byte[] { 127, 77, 0, 10 }, answer.Data);
    }

    [Fact]
    public void Respond_MixedCaseQuestion_EchoedExactly()
    {
        var (_, message) = Ask(Responder(), DnsTestMessages.Query("NaMe0.sVc.TEST"));

        Assert.Equal("NaMe0.sVc.TEST.", message.QuestionName);
        Assert.Equal("NaMe0.sVc.TEST.", Assert.Single(message.Answers).Name);
    }

    [Theory]
    [InlineData((int)DnsRecordType.Aaaa)]
    [InlineData((int)DnsRecordType.Txt)]
    [InlineData((int)DnsRecordType.MX)]
    public void Respond_MappedNameOtherType_NoDataWithSoa(int type)
    {
        var (_, message) = Ask(Responder(), DnsTestMessages.Query("name0.svc.test", (DnsRecordType)type));

        Assert.Equal(DnsResponseCode.NoError, message.ResponseCode);
        Assert.Empty(message.Answers);
        var soa = Assert.Single(message.Authority);
        Assert.Equal((DnsRecordType.Soa, "name0.svc.test.", 5u), (soa.Type, soa.Name, soa.Ttl));
        // SOA MINIMUM (last four octets) bounds negative caching (RFC 2308 §5).
        Assert.Equal(new byte[] { 0, 0, 0, 5 }, soa.Data[^4..]);
    }

    [Fact]
    public void Respond_IPv6Mapping_AaaaAnsweredANoData()
    {
        var responder = Responder();
        var (_, aaaa) = Ask(responder, DnsTestMessages.Query("v6.svc.test", DnsRecordType.Aaaa));
        var (_, a) = Ask(responder, DnsTestMessages.Query("v6.svc.test"));

        Assert.Equal(IPAddress.Parse("fd00::7"), new IPAddress(Assert.Single(aaaa.Answers).Data));
        Assert.Empty(a.Answers);
        Assert.Single(a.Authority);
    }

    [Fact]
    public void Respond_NameUnderSearchDomain_AnsweredDirectly()
    {
        var (_, message) = Ask(Responder(DnsMissPolicy.NxDomain, "default.svc.cluster.local", "svc.cluster.local"),
            DnsTestMessages.Query("name0.svc.test.svc.cluster.local"));

        Assert.Equal(new byte[] { 127, 77, 0, 10 }, Assert.Single(message.Answers).Data);
    }

    [Theory]
    [InlineData((int)DnsMissPolicy.NxDomain, (int)DnsResponseCode.NameError)]
    [InlineData((int)DnsMissPolicy.Refused, (int)DnsResponseCode.Refused)]
    public void Respond_Miss_ByPolicy(int policy, int expected)
    {
        var (result, message) = Ask(Responder((DnsMissPolicy)policy), DnsTestMessages.Query("other.svc.test"));

        Assert.Equal(DnsOutcome.Reply, result.Outcome);
        Assert.Equal((DnsResponseCode)expected, message.ResponseCode);
        Assert.False(message.Has(DnsHeaderFlags.AuthoritativeAnswer));
        Assert.Empty(message.Answers);
    }

    [Fact]
    public void Respond_MissUnderForward_ForwardWithClientLimit()
    {
        var responder = Responder(DnsMissPolicy.Forward);

        var result = responder.Respond(DnsTestMessages.Query("other.test", ednsPayload: 4096), new byte[1232], overTcp: false);

        Assert.Equal(new DnsResponse(DnsOutcome.Forward, 0, DnsLimits.OurUdpPayload), result);
    }

    [Fact]
    public void Respond_ChaosClass_TreatedAsMiss()
    {
        var (_, message) = Ask(Responder(), DnsTestMessages.Query("name0.svc.test", DnsRecordType.Txt, qclass: 3));

        Assert.Equal(DnsResponseCode.NameError, message.ResponseCode);
    }

    [Fact]
    public void Respond_QrSet_Dropped() =>
        Assert.Equal(DnsOutcome.Drop, Responder().Respond(DnsTestMessages.Query("name0.svc.test", flags: 0x8100), new byte[512], false).Outcome);

    [Theory]
    [InlineData("")]
    [InlineData("1234 0100 0001 0000 0000")]   // 10 octets: no whole header
    public void Respond_NoHeader_Dropped(string hex) =>
        Assert.Equal(DnsOutcome.Drop, Responder().Respond(DnsTestMessages.Hex(hex), new byte[512], false).Outcome);

    [Theory]
    [InlineData("1234 0100 0000 0000 0000 0000")]                                  // QDCOUNT 0
    [InlineData("1234 0100 0002 0000 0000 0000 0161 00 0001 0001 0162 00 0001 0001")] // QDCOUNT 2
    [InlineData("1234 0100 0001 0000 0000 0000")]                                  // question missing
    [InlineData("1234 0100 0001 0000 0000 0000 C00C 0001 0001")]                   // self pointer
    [InlineData("1234 0100 0001 0001 0000 0000 0161 00 0001 0001")]                // ANCOUNT lies
    [InlineData("1234 0100 0001 0000 0000 0002 0161 00 0001 0001 00 0029 04D0 00000000 0000 00 0029 04D0 00000000 0000")] // two OPT
    [InlineData("1234 0100 0001 0000 0000 0001 0161 00 0001 0001 0161 00 0029 04D0 00000000 0000")] // OPT not at root
    public void Respond_Malformed_FormErrWithoutQuestion(string hex)
    {
        var (_, message) = Ask(Responder(), DnsTestMessages.Hex(hex));

        Assert.Equal(DnsReadStatus.Ok, message.Status);
        Assert.Equal((DnsResponseCode.FormatError, 0x1234, 0), (message.ResponseCode, (int)message.Header.Id, (int)message.Header.QuestionCount));
        Assert.True(message.Header.IsResponse);
    }

    [Fact]
    public void Respond_UpdateOpcode_NotImp()
    {
        var (_, message) = Ask(Responder(), DnsTestMessages.Query("name0.svc.test", flags: 5 << 11));

        Assert.Equal(DnsResponseCode.NotImplemented, message.ResponseCode);
        Assert.Equal(DnsOpcode.Update, message.Header.Opcode);
    }
}
