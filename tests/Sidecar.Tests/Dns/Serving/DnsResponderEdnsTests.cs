using System.Net;
using Sidecar.Dns;
using Sidecar.Dns.Serving;
using Sidecar.Dns.Wire;

namespace Sidecar.Tests.Dns.Serving;

public sealed class DnsResponderEdnsTests
{
    private static DnsResponder Responder(DnsMissPolicy policy = DnsMissPolicy.NxDomain)
    {
        var responder = new DnsResponder(policy);
        responder.Table = NameTable.Build([new DnsMapping("a.svc.test", IPAddress.Parse("127.77.0.1"))], [], TimeSpan.FromSeconds(5), 1);
        return responder;
    }

    [Theory]
    [InlineData(4096, 1232)]
    [InlineData(1232, 1232)]
    [InlineData(800, 800)]
    [InlineData(100, 512)]   // RFC 6891 §6.2.5: values below 512 are treated as 512
    [InlineData(0, 512)]
    public void Respond_EdnsPayload_AnswerWithOurOptAndClampedLimit(int payload, int expectedLimit)
    {
        var response = new byte[1232];
        var result = Responder().Respond(DnsTestMessages.Query("a.svc.test", ednsPayload: payload), response, overTcp: false);
        var message = ParsedMessage.Read(response.AsSpan(0, result.Length));

        Assert.Equal(expectedLimit, result.SizeLimit);
        var opt = Assert.Single(message.Additional);
        Assert.Equal((DnsRecordType.Opt, (ushort)DnsLimits.OurUdpPayload), (opt.Type, opt.Class));
        Assert.Single(message.Answers);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Respond_DoBit_CopiedToOurOpt(bool dnssecOk)
    {
        var query = DnsTestMessages.Query("a.svc.test");
        query[11] = 1;   // ARCOUNT
        byte[] request = [.. query, .. DnsTestMessages.Opt(1232, dnssecOk: dnssecOk)];
        var response = new byte[1232];

        var result = Responder().Respond(request, response, overTcp: false);

        var opt = Assert.Single(ParsedMessage.Read(response.AsSpan(0, result.Length)).Additional);
        Assert.Equal(dnssecOk, (opt.Ttl & 0x8000) != 0);
    }

    [Fact]
    public void Respond_NoEdns_NoOptAnd512Limit()
    {
        var response = new byte[1232];
        var result = Responder().Respond(DnsTestMessages.Query("a.svc.test"), response, overTcp: false);

        Assert.Equal(DnsLimits.ClassicUdpPayload, result.SizeLimit);
        Assert.Empty(ParsedMessage.Read(response.AsSpan(0, result.Length)).Additional);
    }

    [Fact]
    public void Respond_EdnsVersion1_BadVersWithOpt()
    {
        var response = new byte[1232];
        var result = Responder().Respond(DnsTestMessages.Query("a.svc.test", ednsPayload: 1232, ednsVersion: 1), response, false);
        var message = ParsedMessage.Read(response.AsSpan(0, result.Length));

        // BADVERS is 16: header RCODE 0, upper bits 1 in the OPT TTL (RFC 6891 §6.1.3, §9).
        Assert.Equal(DnsResponseCode.BadVersion, message.ResponseCode);
        Assert.Equal(DnsResponseCode.NoError, message.Header.ResponseCode);
        Assert.Empty(message.Answers);
        Assert.Equal(0u, Assert.Single(message.Additional).Ttl >> 16 & 0xFF);
    }

    [Fact]
    public void Respond_AnswerDoesNotFit_TruncatedQuestionOnly()
    {
        // Header 12 + question 16 fit in 40 octets; the 16-octet answer does not.
        var response = new byte[40];
        var result = Responder().Respond(DnsTestMessages.Query("a.svc.test"), response, overTcp: true);
        var message = ParsedMessage.Read(response.AsSpan(0, result.Length));

        Assert.True(message.Has(DnsHeaderFlags.Truncated));
        Assert.Empty(message.Answers);
        Assert.Equal("a.svc.test.", message.QuestionName);
    }

    [Fact]
    public void Respond_UdpBufferSmallerThan512_TruncatedNotThrown()
    {
        var response = new byte[40];
        var result = Responder().Respond(DnsTestMessages.Query("a.svc.test"), response, overTcp: false);

        Assert.Equal(40, result.SizeLimit);
        Assert.True(ParsedMessage.Read(response.AsSpan(0, result.Length)).Has(DnsHeaderFlags.Truncated));
    }

    [Fact]
    public void Respond_Forward_SetsRecursionAvailableOnHits()
    {
        var response = new byte[512];
        var result = Responder(DnsMissPolicy.Forward).Respond(DnsTestMessages.Query("a.svc.test"), response, false);

        Assert.True(ParsedMessage.Read(response.AsSpan(0, result.Length)).Has(DnsHeaderFlags.RecursionAvailable));
    }

    [Fact]
    public void RespondWithCode_ServerFailure_EchoesQuestion()
    {
        var response = new byte[512];
        var result = Responder().RespondWithCode(DnsTestMessages.Query("x.test", id: 7), response, false, DnsResponseCode.ServerFailure);
        var message = ParsedMessage.Read(response.AsSpan(0, result.Length));

        Assert.Equal((DnsResponseCode.ServerFailure, 7, "x.test."), (message.ResponseCode, (int)message.Header.Id, message.QuestionName));
    }

    [Fact]
    public void Respond_SteadyState_AllocatesNothing()
    {
        var responder = Responder();
        var hit = DnsTestMessages.Query("a.svc.test", ednsPayload: 1232);
        var miss = DnsTestMessages.Query("miss.svc.test");
        var response = new byte[1232];
        responder.Respond(hit, response, false);
        responder.Respond(miss, response, false);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            responder.Respond(hit, response, false);
            responder.Respond(miss, response, false);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
