using System.Text;
using Sidecar.Admin.Http;

namespace Sidecar.Tests.Admin.Http;

public sealed class HttpRequestParserTests
{
    [Theory]
    [InlineData("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", "GET", "/healthz")]
    [InlineData("HEAD /metrics?x=1 HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n", "HEAD", "/metrics")]
    [InlineData("GET /readyz HTTP/1.0\r\n\r\n", "GET", "/readyz")]
    [InlineData("GET / HTTP/1.1\r\nHost:x\r\nContent-Length: 0\r\n\r\n", "GET", "/")]
    public void Parse_WellFormedHead_Ok(string text, string method, string path)
    {
        var status = HttpRequestParser.Parse(Encoding.ASCII.GetBytes(text), out var head, out var length);

        Assert.Equal(HttpParseStatus.Ok, status);
        Assert.Equal((method, path, text.Length), (head.Method, head.Path, length));
    }

    [Theory]
    [InlineData("GET /healthz HTTP/1.1\r\nHost: x\r\n")]
    [InlineData("GET /hea")]
    [InlineData("")]
    public void Parse_NoBlankLineYet_Incomplete(string text)
    {
        Assert.Equal(HttpParseStatus.Incomplete, HttpRequestParser.Parse(Encoding.ASCII.GetBytes(text), out _, out _));
    }

    [Theory]
    [InlineData("GET /healthz HTTP/1.1\nHost: x\n\n\r\n\r\n")]                     // bare LF line ends
    [InlineData("GET /healthz HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n")]             // obs-fold, RFC 9112 §5.2
    [InlineData("GET /healthz HTTP/1.1\r\nHost : x\r\n\r\n")]                       // space before colon, §5.1
    [InlineData("GET /healthz HTTP/1.1\r\n\r\n")]                                   // HTTP/1.1 without Host, §3.2
    [InlineData("GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")]             // two Hosts
    [InlineData("GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData("GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n")]
    [InlineData("GET /healthz HTTP/1.1\r\nHost: x\r\nX: a\u0001b\r\n\r\n")]          // control character in a value
    [InlineData("GET http://x/healthz HTTP/1.1\r\nHost: x\r\n\r\n")]                // absolute-form
    [InlineData("GET  /healthz HTTP/1.1\r\nHost: x\r\n\r\n")]                       // two spaces
    [InlineData("G\u00e9T /healthz HTTP/1.1\r\nHost: x\r\n\r\n")]                   // method not a token
    [InlineData("\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")]                    // leading empty line
    [InlineData("GET /healthz HTTX/1.1\r\nHost: x\r\n\r\n")]
    public void Parse_MalformedHead_BadRequest(string text)
    {
        Assert.Equal(HttpParseStatus.BadRequest, HttpRequestParser.Parse(Encoding.Latin1.GetBytes(text), out _, out _));
    }

    [Fact]
    public void Parse_ContentLength_BodyNotAcceptedAfterMethodKnown()
    {
        var text = "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nx"u8;

        Assert.Equal(HttpParseStatus.BodyNotAccepted, HttpRequestParser.Parse(text, out var head, out _));
        Assert.False(head.IsReadOnly);
    }

    [Fact]
    public void Parse_Http2Version_VersionNotSupported()
    {
        Assert.Equal(HttpParseStatus.VersionNotSupported, HttpRequestParser.Parse("GET / HTTP/2.0\r\n\r\n"u8, out _, out _));
    }

    [Fact]
    public void Parse_HeadOverLimitWithoutEnd_HeadTooLarge()
    {
        var text = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\nX: " + new string('a', HttpRequestParser.MaxHeadBytes));

        Assert.Equal(HttpParseStatus.HeadTooLarge, HttpRequestParser.Parse(text, out _, out _));
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, CLOSE\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.0\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", false)]
    public void Parse_ConnectionOptions_KeepAliveAsRfc9112Section93(string text, bool keepAlive)
    {
        Assert.Equal(HttpParseStatus.Ok, HttpRequestParser.Parse(Encoding.ASCII.GetBytes(text), out var head, out _));
        Assert.Equal(keepAlive, head.KeepAlive);
    }
}
