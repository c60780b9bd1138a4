using Sidecar.Dns.Wire;

namespace Sidecar.Tests.Dns.Wire;

public sealed class DnsNameTests
{
    // 12 zero octets stand for the header, so offsets in the vectors below start at 12 (0x0C).
    private const string Header = "000000000000000000000000";

    [Theory]
    [InlineData("03777777076578616D706C6503636F6D00", 12, "www.example.com.", 29)]
    [InlineData("00", 12, ".", 13)]
    // "a." at 12, then "b" + pointer to 12 at 15: decodes "b.a.", and the reader stops after the pointer.
    [InlineData("0161000162C00C", 15, "b.a.", 19)]
    // A pointer into the header is backwards and legal; the header's zero octet reads as the root.
    [InlineData("C000", 12, ".", 14)]
    public void Read_ValidName_DecodesAndAdvances(string hex, int start, string expected, int end)
    {
        var message = DnsTestMessages.Hex(Header + hex);
        var position = start;
        var name = new byte[DnsLimits.MaxNameLength];

        var status = DnsName.Read(message, ref position, name, out var length);

        Assert.Equal(DnsReadStatus.Ok, status);
        Assert.Equal(expected, DnsName.Format(name.AsSpan(0, length)));
        Assert.Equal(end, position);
    }

    [Theory]
    [InlineData("C00C", 12, nameof(DnsReadStatus.BadPointer))]            // self pointer
    [InlineData("C00E00", 12, nameof(DnsReadStatus.BadPointer))]          // forward pointer
    [InlineData("0161C00C", 12, nameof(DnsReadStatus.BadPointer))]        // loop back to its own start
    [InlineData("01610162C00E", 12, nameof(DnsReadStatus.BadPointer))]    // pointer into its own label run
    [InlineData("0161000162C00F", 15, nameof(DnsReadStatus.BadPointer))]  // pointer to itself after a label
    [InlineData("40", 12, nameof(DnsReadStatus.ReservedLabelType))]       // 0b01 prefix (RFC 6891 §5)
    [InlineData("80", 12, nameof(DnsReadStatus.ReservedLabelType))]       // 0b10 prefix
    [InlineData("4161", 12, nameof(DnsReadStatus.ReservedLabelType))]     // a "64-octet label" is a reserved type
    [InlineData("", 12, nameof(DnsReadStatus.Truncated))]
    [InlineData("03777777", 12, nameof(DnsReadStatus.Truncated))]         // no root label
    [InlineData("0377", 12, nameof(DnsReadStatus.Truncated))]             // label runs past the end
    [InlineData("C0", 12, nameof(DnsReadStatus.Truncated))]               // half a pointer
    public void Read_MalformedName_FailsWithStatus(string hex, int start, string expected)
    {
        var message = DnsTestMessages.Hex(Header + hex);
        var position = start;

        var status = DnsName.Read(message, ref position, new byte[DnsLimits.MaxNameLength], out _);

        Assert.Equal(Enum.Parse<DnsReadStatus>(expected), status);
        Assert.Equal(start, position);
    }

    [Fact]
    public void Read_FourMaxLabels_NameTooLong()
    {
        // 4 × (1 + 63) + root = 257 octets > 255 (RFC 1035 §2.3.4).
        var label = "3F" + new string('6', 126);
        var message = DnsTestMessages.Hex(Header + label + label + label + label + "00");
        var position = 12;

        Assert.Equal(DnsReadStatus.NameTooLong, DnsName.Read(message, ref position, new byte[DnsLimits.MaxNameLength], out _));
    }

    [Fact]
    public void Read_ExactlyMaxLength_Ok()
    {
        // 3 × 64 + (1 + 61) + root = 255 octets.
        var label = "3F" + new string('6', 126);
        var message = DnsTestMessages.Hex(Header + label + label + label + "3D" + new string('6', 122) + "00");
        var position = 12;

        Assert.Equal(DnsReadStatus.Ok, DnsName.Read(message, ref position, new byte[DnsLimits.MaxNameLength], out var length));
        Assert.Equal(DnsLimits.MaxNameLength, length);
    }

    [Fact]
    public void Read_NameTooLongThroughPointers_NameTooLong()
    {
        // Each name adds a 63-octet label in front of a pointer to the previous one; the fifth exceeds 255.
        var bytes = new List<byte>(new byte[12]);
        var previous = -1;
        for (var i = 0; i < 5; i++)
        {
            var start = bytes.Count;
            bytes.Add(63);
            bytes.AddRange(Enumerable.Repeat((byte)'x', 63));
            if (previous < 0) bytes.Add(0); else { bytes.Add((byte)(0xC0 | previous >> 8)); bytes.Add((byte)previous); }
            previous = start;
        }
        var position = previous;

        Assert.Equal(DnsReadStatus.NameTooLong, DnsName.Read(bytes.ToArray(), ref position, new byte[DnsLimits.MaxNameLength], out _));
    }

    [Fact]
    public void Read_LongPointerChain_TooManyPointers()
    {
        // A root at 12, then 200 pointers each to the one before: strictly backwards, but more hops than any real name needs.
        var bytes = new List<byte>(new byte[12]) { 0 };
        var previous = 12;
        for (var i = 0; i < 200; i++)
        {
            var at = bytes.Count;
            bytes.Add((byte)(0xC0 | previous >> 8));
            bytes.Add((byte)previous);
            previous = at;
        }
        var position = previous;

        Assert.Equal(DnsReadStatus.TooManyPointers, DnsName.Read(bytes.ToArray(), ref position, new byte[DnsLimits.MaxNameLength], out _));
    }

    [Theory]
    [InlineData("Name0.SVC.test", "056E616D653003737663047465737400")]
    [InlineData("a.", "016100")]
    [InlineData("", "00")]
    public void TryEncode_ValidName_LowerCaseWireForm(string name, string expectedHex)
    {
        var buffer = new byte[DnsLimits.MaxNameLength];

        Assert.True(DnsName.TryEncode(name, buffer, out var written));
        Assert.Equal(expectedHex, Convert.ToHexString(buffer, 0, written));
    }

    [Theory]
    [InlineData("a..b")]
    [InlineData("has space.test")]
    public void TryEncode_InvalidName_False(string name) =>
        Assert.False(DnsName.TryEncode(name, new byte[DnsLimits.MaxNameLength], out _));

    [Fact]
    public void TryEncode_LabelOf64_False() =>
        Assert.False(DnsName.TryEncode(new string('a', 64) + ".test", new byte[DnsLimits.MaxNameLength], out _));

    [Theory]
    [InlineData("mysql.abc")]
    [InlineData("_sip._tcp.example")]
    [InlineData("MySQL.ABC")]
    [InlineData("a-b.c1")]
    public void IsValid_HostOrServiceName_True(string name) => Assert.True(DnsName.IsValid(name));

    [Theory]
    [InlineData("")]
    [InlineData("-bad.name")]
    [InlineData("bad-.name")]
    [InlineData("a..b")]
    [InlineData("trailing.")]
    [InlineData("has space.test")]
    [InlineData("star*.test")]
    public void IsValid_NotAName_False(string name) => Assert.False(DnsName.IsValid(name));

    [Fact]
    public void IsValid_TextLength_253IsTheLimitAs255OctetsOnTheWire()
    {
        var label = new string('a', 63);
        var longest = $"{label}.{label}.{label}.{new string('a', 61)}"; // 253 characters, 255 octets encoded
        Assert.True(DnsName.IsValid(longest));
        Assert.True(DnsName.TryEncode(longest, new byte[DnsLimits.MaxNameLength], out var written));
        Assert.Equal(DnsLimits.MaxNameLength, written);
        Assert.False(DnsName.IsValid(longest + "a"));
    }

    [Fact]
    public void TryEncode_BreaksTheNameRule_False() =>
        Assert.False(DnsName.TryEncode("-bad.test", new byte[DnsLimits.MaxNameLength], out _));
}
