using System.Buffers;

namespace Sidecar.Tunnels.Native.Yamux;

/// <summary>One <see cref="ReceiveBufferPool.BlockSize"/> block of anonymous memory; disposing it (what a pipe does
/// with a segment it no longer needs) hands it back to its pool, which keeps the object for the block's life.</summary>
internal sealed unsafe class ReceiveBlock(ReceiveBufferPool pool, byte* address) : MemoryManager<byte>
{
    public byte* Address => address;

    /// <summary>Out on loan (guarded by the pool's lock): a second dispose of one loan returns nothing.</summary>
    internal bool Rented { get; set; }

    /// <summary>The pool's trim tick at which the block was last handed back.</summary>
    internal long FreeSince { get; set; }

    public override Span<byte> GetSpan() => new(address, ReceiveBufferPool.BlockSize);

    // Anonymous memory never moves: pinning is a no-op.
    public override MemoryHandle Pin(int elementIndex = 0) => new(address + elementIndex);

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing) => pool.Return(this);
}
