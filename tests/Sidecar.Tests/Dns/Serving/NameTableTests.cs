using System.Net;
using Sidecar.Dns;
using Sidecar.Dns.Serving;
using Sidecar.Dns.Wire;

namespace Sidecar.Tests.Dns.Serving;

public sealed class NameTableTests
{
    private static bool Lookup(NameTable table, string name, out NameTableEntry entry) =>
        table.TryLookup(DnsTestMessages.Name(name.ToLowerInvariant()), out entry);

    [Fact]
    public void Build_MappingsAndSearchDomains_AllVariantsFound()
    {
        var table = NameTable.Build([new DnsMapping("Mysql.ABC", IPAddress.Parse("127.1.0.5"))], ["default.svc.cluster.local", "cluster.local."],
            TimeSpan.FromSeconds(5), 3);

        Assert.Equal(3, table.Count);
        Assert.True(Lookup(table, "mysql.abc", out var entry));
        Assert.Equal(new byte[] { 127, 1, 0, 5 }, entry.Address);
        Assert.True(Lookup(table, "mysql.abc.default.svc.cluster.local", out _));
        Assert.True(Lookup(table, "mysql.abc.cluster.local", out _));
        Assert.False(Lookup(table, "mysql", out _));
        Assert.Equal((5u, 3u), (table.TtlSeconds, table.Serial));
    }

    [Fact]
    public void Build_VariantSpellsAnotherMappedName_ExactMappingWins()
    {
        var table = NameTable.Build(
            [new DnsMapping("a", IPAddress.Parse("127.1.0.1")), new DnsMapping("a.b", IPAddress.Parse("127.1.0.2"))], ["b"], TimeSpan.FromSeconds(5), 1);

        Assert.True(Lookup(table, "a.b", out var entry));
        Assert.Equal(new byte[] { 127, 1, 0, 2 }, entry.Address);
    }

    [Fact]
    public void Build_ManyNames_EveryNameFoundAndMissesNot()
    {
        var mappings = Enumerable.Range(0, 1000).Select(i => new DnsMapping($"svc{i}.ns.test", new IPAddress([127, 2, (byte)(i >> 8), (byte)i]))).ToArray();
        var table = NameTable.Build(mappings, [], TimeSpan.FromSeconds(5), 1);

        for (var i = 0; i < 1000; i++)
        {
            Assert.True(Lookup(table, $"svc{i}.ns.test", out var entry));
            Assert.Equal((byte)i, entry.Address[3]);
            Assert.False(Lookup(table, $"svc{i}.other.test", out _));
        }
    }

    [Fact]
    public void Empty_AnyName_NotFound() => Assert.False(Lookup(NameTable.Empty, "a.test", out _));

    [Fact]
    public void Build_InvalidName_Skipped()
    {
        var table = NameTable.Build([new DnsMapping(new string('x', 64) + ".test", IPAddress.Loopback)], [], TimeSpan.Zero, 1);

        Assert.Equal(0, table.Count);
        Assert.Equal(DnsLimits.MaxLabelLength + 1, new string('x', 64).Length);
    }
}
