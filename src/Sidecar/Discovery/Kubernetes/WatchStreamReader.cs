using System.Runtime.CompilerServices;
namespace Sidecar.Discovery.Kubernetes;

/// <summary>
/// Splits a watch stream into lines of UTF-8 bytes without making strings: frps's status rewrites make
/// lines of tens of kilobytes every second, which as strings would land on the large object heap. The buffer
/// grows for a long line and is dropped again afterwards, so one big event does not stay resident.
/// </summary>
internal sealed class WatchStreamReader(Stream stream, int maxLineBytes)
{
    private const int InitialSize = 16 * 1024;
    /// <summary>A buffer grown beyond this is dropped once its line is consumed.</summary>
    private const int KeepSize = 256 * 1024;

    private byte[] _buffer = new byte[InitialSize];
    private int _start;
    private int _end;
    private int _scanned;

    /// <summary>The next non-empty line (without its newline), or empty at the end of the stream; valid until the next call.</summary>
    /// <exception cref="InvalidDataException">A line longer than the bound (a hostile or broken server).</exception>
    // Pooled: a line that waits for the network suspends this method, and without pooling each suspension boxed
    // its state machine on the heap (most of the ~170 B an event still allocated on the watch path).
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ReadOnlyMemory<byte>> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_scanned, _end - _scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var lineEnd = _scanned + newline;
                var line = _buffer.AsMemory(_start, lineEnd - _start);
                _start = _scanned = lineEnd + 1;
                if (line.Length > 0 && line.Span[^1] == '\r')
                {
                    line = line[..^1];
                }
                if (line.Length > 0)
                {
                    return line;
                }
                continue;
            }
            _scanned = _end;
            Compact();
            if (_end - _start > maxLineBytes)
            {
                throw new InvalidDataException($"a watch event longer than {maxLineBytes} bytes");
            }
            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return ReadOnlyMemory<byte>.Empty; // a partial last line is dropped: the server ended mid-event
            }
            _end += read;
        }
    }

    /// <summary>Moves the unread part to the front; grows when full, shrinks when a big buffer is no longer needed.</summary>
    private void Compact()
    {
        var pending = _end - _start;
        var size = _buffer.Length;
        if (pending == size)
        {
            size *= 2;
        }
        else if (size > KeepSize && pending < InitialSize)
        {
            size = InitialSize;
        }
        if (size != _buffer.Length)
        {
            var next = new byte[size];
            _buffer.AsSpan(_start, pending).CopyTo(next);
            _buffer = next;
        }
        else if (_start > 0)
        {
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
        }
        _scanned -= _start;
        _start = 0;
        _end = pending;
    }
}
