using System.Net;
using Sidecar.Addressing;
using Sidecar.Tests.Support;

namespace Sidecar.Tests.Addressing;

public sealed class AddressAllocatorTests
{
    private static AddressAllocator Create(string cidr, params string[] reserved) =>
        new(IPNetwork.Parse(cidr), reserved.Select(IPAddress.Parse), new CapturingLogger<AddressAllocator>());

    [Fact]
    public void TryAllocate_SameNameTwice_SameAddress()
    {
        var allocator = Create("127.1.0.0/16");
        Assert.True(allocator.TryAllocate("mysql.abc", out var first));
        Assert.True(allocator.TryAllocate("mysql.abc", out var second));
        Assert.Equal(first, second);
        Assert.Equal(1, allocator.Count);
    }

    [Fact]
    public void TryAllocate_FreshAllocatorsAnyOrder_SameAddresses()
    {
        var names = Enumerable.Range(0, 50).Select(i => $"svc{i}.ns").ToArray();
        var a = Create("127.1.0.0/16");
        var b = Create("127.1.0.0/16");
        var fromA = names.ToDictionary(n => n, n => a.TryAllocate(n, out var ip) ? ip : null);
        var fromB = names.Reverse().ToDictionary(n => n, n => b.TryAllocate(n, out var ip) ? ip : null);
        // A /16 has room enough that 50 names do not collide, so the order cannot matter.
        Assert.All(names, n => Assert.Equal(fromA[n], fromB[n]));
        Assert.Equal(names.Length, fromA.Values.Distinct().Count());
    }

    [Fact]
    public void TryAllocate_Slash30_ExcludesNetworkAndBroadcast()
    {
        var allocator = Create("10.9.8.4/30");
        Assert.True(allocator.TryAllocate("a", out var a));
        Assert.True(allocator.TryAllocate("b", out var b));
        Assert.Equal(["10.9.8.5", "10.9.8.6"], new[] { a.ToString(), b.ToString() }.Order());
        Assert.False(allocator.TryAllocate("c", out var c));
        Assert.Null(c);
    }

    [Fact]
    public void TryAllocate_RangeHoldingLoopbackAndDnsAddress_NeverHandsThemOut()
    {
        var allocator = Create("127.0.0.0/29", "127.0.0.2");
        var got = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            Assert.True(allocator.TryAllocate($"s{i}", out var ip));
            got.Add(ip.ToString());
        }
        Assert.Equal(["127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6"], got.Order());
        Assert.False(allocator.TryAllocate("s4", out _));
    }

    [Fact]
    public void TryAllocate_Exhausted_FailsOnlyNewNameWithClearLog()
    {
        var logger = new CapturingLogger<AddressAllocator>();
        var allocator = new AddressAllocator(IPNetwork.Parse("10.0.0.0/30"), [], logger);
        Assert.True(allocator.TryAllocate("a", out var a));
        Assert.True(allocator.TryAllocate("b", out _));
        Assert.False(allocator.TryAllocate("c", out _));
        Assert.True(allocator.TryGet("a", out var stillA));
        Assert.Equal(a, stillA);
        var line = Assert.Single(logger.Entries, e => e.EventId == AddressingEventIds.Exhausted);
        Assert.Contains("c", line.Message);
        Assert.Contains("10.0.0.0/30", line.Message);
    }

    [Fact]
    public void Release_FreesAddress_ForAnotherName()
    {
        var allocator = Create("10.0.0.0/30");
        allocator.TryAllocate("a", out var a);
        allocator.TryAllocate("b", out _);
        Assert.True(allocator.Release("a"));
        Assert.False(allocator.Release("a"));
        Assert.True(allocator.TryAllocate("c", out var c));
        Assert.Equal(a, c);
        Assert.False(allocator.TryGet("a", out _));
    }

    [Fact]
    public void TryAllocate_Slash32_GivesTheOneAddress()
    {
        var allocator = Create("127.9.9.9/32");
        Assert.True(allocator.TryAllocate("only", out var ip));
        Assert.Equal(IPAddress.Parse("127.9.9.9"), ip);
        Assert.False(allocator.TryAllocate("second", out _));
    }

    [Fact]
    public void TryAllocate_Collision_ProbesToNextFreeAddress()
    {
        // In a /29 with 6 usable addresses, 6 names always fit, however their hashes collide.
        var allocator = Create("10.1.1.0/29");
        var addresses = Enumerable.Range(0, 6).Select(i => allocator.TryAllocate($"n{i}", out var ip) ? ip : null).ToList();
        Assert.DoesNotContain(null, addresses);
        Assert.Equal(6, addresses.Distinct().Count());
        Assert.DoesNotContain(IPAddress.Parse("10.1.1.0"), addresses);
        Assert.DoesNotContain(IPAddress.Parse("10.1.1.7"), addresses);
    }

    [Fact]
    public void TryAllocate_Ipv6Range_GivesAddressesInRange()
    {
        var range = IPNetwork.Parse("fd00:5:1de::/112");
        var allocator = new AddressAllocator(range, [], new CapturingLogger<AddressAllocator>());
        Assert.True(allocator.TryAllocate("mysql.abc", out var ip));
        Assert.True(range.Contains(ip));
        Assert.NotEqual(range.BaseAddress, ip);
        Assert.True(allocator.TryAllocate("mysql.abc", out var again));
        Assert.Equal(ip, again);
    }

    [Fact]
    public void TryAllocate_Ipv6LoopbackSlash128_ExcludesLoopback()
    {
        var allocator = Create("::1/128");
        Assert.False(allocator.TryAllocate("x", out _));
    }
}
