using System.Text;
using Sidecar.Discovery.Kubernetes;

namespace Sidecar.Tests.Discovery;

public sealed class ListBodyTests
{
    private static byte[] Bytes(int count) => Enumerable.Range(0, count).Select(i => (byte)('a' + i % 26)).ToArray();

    /// <summary>Hands out at most a few bytes per read, as a network stream does.</summary>
    private sealed class TrickleStream(byte[] data) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 1000)], cancellationToken);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(10, true)]
    [InlineData(200_000, false)]
    [InlineData(200_000, true)]
    public async Task ReadAsync_WithOrWithoutLength_ReturnsWholeBody(int size, bool lengthKnown)
    {
        var data = Bytes(size);
        var read = await ListBody.OneShot().ReadAsync(new TrickleStream(data), lengthKnown ? size : null, 1_000_000, default);
        Assert.Equal(data, read.ToArray());
    }

    [Fact]
    public async Task ReadAsync_LengthUnderstated_StillReadsToTheEnd()
    {
        var data = Bytes(5000);
        var read = await ListBody.OneShot().ReadAsync(new TrickleStream(data), 10, 1_000_000, default);
        Assert.Equal(data, read.ToArray());
    }

    [Fact]
    public async Task ReadAsync_Reusable_SecondReadUsesSameBuffer()
    {
        var body = ListBody.Reusable();
        var first = await body.ReadAsync(new MemoryStream(Bytes(3000)), null, 1_000_000, default);
        var second = await body.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes("{}")), null, 1_000_000, default);
        Assert.Equal("{}", Encoding.UTF8.GetString(second.Span));
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(first, out var a));
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(second, out var b));
        Assert.Same(a.Array, b.Array);
    }

    [Fact]
    public async Task ReadAsync_OneShot_SecondReadGetsNewBuffer()
    {
        var body = ListBody.OneShot();
        var first = await body.ReadAsync(new MemoryStream(Bytes(3000)), null, 1_000_000, default);
        var second = await body.ReadAsync(new MemoryStream(Bytes(10)), null, 1_000_000, default);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(first, out var a));
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(second, out var b));
        Assert.NotSame(a.Array, b.Array);
    }

    [Fact]
    public async Task ReadAsync_BeyondBoundOfUnboundedStream_Throws()
    {
        await Assert.ThrowsAsync<InvalidDataException>(() =>
            ListBody.OneShot().ReadAsync(new TrickleStream(Bytes(300_000)), null, 100_000, default));
    }
}
