using Sidecar.Dns.Serving;
using Sidecar.Dns.Wire;

namespace Sidecar.Tests.Dns.Serving;

public sealed class ForwardedMessageTests
{
    private const string Query = "1234 0100 0001 0000 0000 0000 0141 0162 00 0001 0001";   // "A.b." A IN

    [Theory]
    [InlineData("5555 8180 0001 0001 0000 0000 0161 0162 00 0001 0001 C00C 0001 0001 0000003C 0004 C0000263", nameof(ForwardCheck.Valid))]
    [InlineData("5555 8380 0001 0000 0000 0000 0141 0162 00 0001 0001", nameof(ForwardCheck.Truncated))]
    [InlineData("5556 8180 0001 0000 0000 0000 0141 0162 00 0001 0001", nameof(ForwardCheck.Invalid))]   // other ID
    [InlineData("5555 0180 0001 0000 0000 0000 0141 0162 00 0001 0001", nameof(ForwardCheck.Invalid))]   // not a response
    [InlineData("5555 8180 0001 0000 0000 0000 0141 0163 00 0001 0001", nameof(ForwardCheck.Invalid))]   // other name
    [InlineData("5555 8180 0001 0000 0000 0000 0141 0162 00 001C 0001", nameof(ForwardCheck.Invalid))]   // other type
    [InlineData("5555 8180 0001 0000 0000 0000 0141 01", nameof(ForwardCheck.Invalid))]                  // cut short
    public void Check_UpstreamReply_MatchesOnlyOurQuery(string replyHex, string expected)
    {
        var query = new byte[64];
        Assert.True(ForwardedMessage.TryPrepareQuery(DnsTestMessages.Hex(Query), query, 0x5555, out var questionLength));

        Assert.Equal(Enum.Parse<ForwardCheck>(expected), ForwardedMessage.Check(DnsTestMessages.Hex(replyHex), query, questionLength));
    }

    [Fact]
    public void Restore_TooBigForClient_TruncatedToQuestionWithClientIdAndCase()
    {
        var reply = DnsTestMessages.Hex("5555 8180 0001 0001 0000 0000 0161 0162 00 0001 0001 C00C 0001 0001 0000003C 0004 C0000263");

        var length = ForwardedMessage.Restore(reply, reply.Length, DnsTestMessages.Hex(Query), 9, limit: 25);

        var message = ParsedMessage.Read(reply.AsSpan(0, length));
        Assert.Equal((0x1234, "A.b.", 0), ((int)message.Header.Id, message.QuestionName, message.Answers.Count));
        Assert.True(message.Has(DnsHeaderFlags.Truncated));
    }
}
