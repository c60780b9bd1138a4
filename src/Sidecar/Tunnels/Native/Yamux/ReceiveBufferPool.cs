using System.Buffers;

namespace Sidecar.Tunnels.Native.Yamux;

/// <summary>
/// The blocks one session's streams buffer received data in (their pipes' segments) until the application reads
/// it. A stream may buffer up to its receive window (6 MiB, as frpc grants) while the application reads slower than
/// frps sends, and a backlog like that is brief; the shared array pool would keep every array of it, and the GC
/// heap grown around them, for the life of the process (bench/native.sh: +10-15 MiB RSS after the service -> app
/// runs). Blocks here are anonymous memory: reused while traffic needs them (most recently returned first), and
/// one that has stayed unused through a whole trim period (<see cref="TrimPeriod"/>) is unmapped, so RSS falls
/// back once a backlog has drained and an idle session holds none. A block is never unmapped sooner than one
/// period after it came back, whatever happens to the session meanwhile, so no late write can reach a freed page.
/// </summary>
internal sealed unsafe class ReceiveBufferPool : MemoryPool<byte>
{
    /// <summary>A frame's payload (at most 64 KiB from frps in practice) is read in pieces of at most this.</summary>
    public const int BlockSize = 64 * 1024;

    public static readonly TimeSpan TrimPeriod = TimeSpan.FromSeconds(10);

    private readonly Stack<ReceiveBlock> _free = new();
    private readonly Lock _lock = new();
    private readonly ITimer _trim;
    private long _tick;
    private int _mapped;
    private bool _disposed;

    public ReceiveBufferPool(TimeProvider time)
    {
        _trim = time.CreateTimer(static state => ((ReceiveBufferPool)state!).Trim(), this, TrimPeriod, TrimPeriod);
    }

    public override int MaxBufferSize => BlockSize;

    /// <summary>Blocks mapped now, on loan or free.</summary>
    public int MappedBlocks
    {
        get
        {
            lock (_lock)
            {
                return _mapped;
            }
        }
    }

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        lock (_lock)
        {
            if (_free.TryPop(out var block))
            {
                block.Rented = true;
                return block;
            }
            _mapped++;
        }
        return new ReceiveBlock(this, AnonymousMemory.Map(BlockSize)) { Rented = true };
    }

    internal void Return(ReceiveBlock block)
    {
        lock (_lock)
        {
            if (!block.Rented)
            {
                return;
            }
            block.Rented = false;
            block.FreeSince = _tick;
            _free.Push(block);
        }
    }

    /// <summary>Unmaps the blocks free since before the last tick (none was rented since: the stack's bottom).</summary>
    private void Trim()
    {
        List<ReceiveBlock>? cold = null;
        lock (_lock)
        {
            _tick++;
            if (_disposed && _mapped == 0)
            {
                _trim.Dispose();
            }
            if (_free.Count == 0)
            {
                return;
            }
            var keep = new List<ReceiveBlock>(_free.Count);
            while (_free.TryPop(out var block))
            {
                if (block.FreeSince < _tick - 1)
                {
                    (cold ??= []).Add(block);
                }
                else
                {
                    keep.Add(block);
                }
            }
            for (var i = keep.Count - 1; i >= 0; i--)
            {
                _free.Push(keep[i]);
            }
            _mapped -= cold?.Count ?? 0;
        }
        foreach (var block in cold ?? [])
        {
            AnonymousMemory.Unmap(block.Address, BlockSize);
        }
    }

    /// <summary>The session is over: blocks still come back from its pipes and are unmapped by the trim ticks
    /// like any others, after which the timer stops.</summary>
    protected override void Dispose(bool disposing)
    {
        lock (_lock)
        {
            _disposed = true;
        }
    }
}
