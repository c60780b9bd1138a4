using System.Text;
using Sidecar.Discovery.Files;

namespace Sidecar.Tests.Discovery;

public sealed class ContentFingerprintTests
{
    [Fact]
    public void Of_SameContent_Equal()
    {
        var text = Encoding.UTF8.GetBytes(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "examples", "local", "frpserver.yaml")));
        Assert.Equal(ContentFingerprint.Of(text), ContentFingerprint.Of(text.ToArray()));
    }

    [Theory]
    [InlineData("status: {}\n", "status: []\n")] // same length, one byte differs
    [InlineData("abcdefgh12345678", "12345678abcdefgh")] // the same words in another order
    [InlineData("a", "a ")] // a prefix
    [InlineData("", "\0")]
    public void Of_DifferentContent_Differs(string a, string b)
    {
        Assert.NotEqual(ContentFingerprint.Of(Encoding.UTF8.GetBytes(a)), ContentFingerprint.Of(Encoding.UTF8.GetBytes(b)));
    }

    [Fact]
    public void Of_EveryOneByteChangeOfAPage_Differs()
    {
        var page = new byte[4096];
        Random.Shared.NextBytes(page);
        var original = ContentFingerprint.Of(page);
        var seen = new HashSet<ulong> { original.Hash };
        for (var i = 0; i < page.Length; i++)
        {
            page[i] ^= 0x01;
            Assert.True(seen.Add(ContentFingerprint.Of(page).Hash), $"flipping byte {i} collided");
            page[i] ^= 0x01;
        }
    }
}
