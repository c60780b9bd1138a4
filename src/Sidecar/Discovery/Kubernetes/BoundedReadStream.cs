namespace Sidecar.Discovery.Kubernetes;

/// <summary>
/// A read-only view of an API answer that fails once more than a bound has been read, so a broken or hostile
/// API server cannot make the deserializer buffer an answer without end (in a Pod whose memory limit is tens
/// of MiB, an unbounded answer ends in an OOM kill, not an error).
/// </summary>
internal sealed class BoundedReadStream(Stream inner, long maxBytes, string what) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    /// <summary>The error for an answer over the bound; also used before reading when Content-Length says so.</summary>
    public static InvalidDataException TooLarge(string what, long maxBytes) =>
        new($"{what} is larger than {maxBytes / (1024 * 1024.0):0.##} MiB, the bound for an API answer (a broken or hostile API server?)");

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    private int Count(int read)
    {
        _read += read;
        if (_read > maxBytes)
        {
            throw TooLarge(what, maxBytes);
        }
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
