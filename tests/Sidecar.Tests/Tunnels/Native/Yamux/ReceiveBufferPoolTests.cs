using Microsoft.Extensions.Time.Testing;
using Sidecar.Tunnels.Native.Yamux;

namespace Sidecar.Tests.Tunnels.Native.Yamux;

public sealed class ReceiveBufferPoolTests
{
    [Fact]
    public void Rent_AfterAReturn_ReusesTheBlockWithoutMappingAnother()
    {
        using var pool = new ReceiveBufferPool(new FakeTimeProvider());
        var first = pool.Rent(100);
        first.Memory.Span[0] = 42;
        first.Dispose();

        using var second = pool.Rent(ReceiveBufferPool.BlockSize);

        Assert.Same(first, second);
        Assert.Equal(ReceiveBufferPool.BlockSize, second.Memory.Length);
        Assert.Equal(1, pool.MappedBlocks);
    }

    [Fact]
    public void Rent_MoreThanABlock_Throws()
    {
        using var pool = new ReceiveBufferPool(new FakeTimeProvider());
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(ReceiveBufferPool.BlockSize + 1));
    }

    [Fact]
    public void Trim_BlockFreeThroughAWholePeriod_IsUnmappedNotBefore()
    {
        var time = new FakeTimeProvider();
        using var pool = new ReceiveBufferPool(time);
        var blocks = Enumerable.Range(0, 3).Select(_ => pool.Rent()).ToList();
        blocks.ForEach(b => b.Dispose());

        time.Advance(ReceiveBufferPool.TrimPeriod); // the first tick: returned moments ago, kept
        Assert.Equal(3, pool.MappedBlocks);
        time.Advance(ReceiveBufferPool.TrimPeriod); // free for a whole period: unmapped
        Assert.Equal(0, pool.MappedBlocks);
    }

    [Fact]
    public void Trim_BlockOnLoanOrReusedMeanwhile_IsKept()
    {
        var time = new FakeTimeProvider();
        using var pool = new ReceiveBufferPool(time);
        using var onLoan = pool.Rent();
        var reused = pool.Rent();
        reused.Dispose();

        time.Advance(ReceiveBufferPool.TrimPeriod);
        pool.Rent().Dispose(); // the same block, used again in this period
        time.Advance(ReceiveBufferPool.TrimPeriod);

        Assert.Equal(2, pool.MappedBlocks);
        time.Advance(ReceiveBufferPool.TrimPeriod);
        Assert.Equal(1, pool.MappedBlocks); // only the loaned one
    }

    [Fact]
    public void Dispose_TwiceOnOneLoan_ReturnsTheBlockOnce()
    {
        using var pool = new ReceiveBufferPool(new FakeTimeProvider());
        var block = pool.Rent();
        block.Dispose();
        block.Dispose();

        using var a = pool.Rent();
        using var b = pool.Rent();

        Assert.NotSame(a, b);
        Assert.Equal(2, pool.MappedBlocks);
    }
}
