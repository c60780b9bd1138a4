namespace Sidecar.Discovery.Kubernetes;

/// <summary>
/// A list answer read whole into a buffer of our own, to be decoded in one synchronous pass. Decoding straight
/// from the stream (JsonSerializer.DeserializeAsync) buffers every value that a hand-written converter reads in
/// ArrayPool.Shared arrays doubling up to the size of the whole items array, and the pool keeps them: after a
/// 0.5 MB list, 128 + 256 + 512 KiB stayed on the large object heap for the life of the process
/// (bench/footprint.sh). A buffer of our own is dropped with the answer, or kept for the next list by a poller
/// that lists every few seconds anyway (<see cref="Reusable"/>).
/// </summary>
internal sealed class ListBody
{
    private const int InitialSize = 64 * 1024;

    private readonly bool _keep;
    private byte[]? _buffer;

    private ListBody(bool keep) => _keep = keep;

    /// <summary>A buffer kept between lists: for a poller, whose next list is seconds away.</summary>
    public static ListBody Reusable() => new(keep: true);

    /// <summary>A buffer dropped after each list: the list is rare (watch mode) and its memory goes back.</summary>
    public static ListBody OneShot() => new(keep: false);

    /// <summary>Reads <paramref name="body"/> to its end; the bytes are valid until the next call.</summary>
    /// <param name="body">The answer, already bounded (<see cref="BoundedReadStream"/>).</param>
    /// <param name="length">Content-Length when the server sent one (already checked against the bound).</param>
    /// <param name="maxBytes">The stream's bound: the buffer never grows past it (plus the byte that shows the end).</param>
    /// <param name="cancellationToken">Stops the read.</param>
    public async Task<ReadOnlyMemory<byte>> ReadAsync(Stream body, long? length, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = _buffer;
        var cap = maxBytes + 1;
        var wanted = length is > 0 && length < cap ? (int)length.Value + 1 : Math.Min(InitialSize, cap); // +1: the end shows without growing
        if (buffer is null || buffer.Length < wanted)
        {
            buffer = new byte[Math.Max(wanted, buffer?.Length ?? 0)];
        }
        var filled = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                if (buffer.Length >= cap)
                {
                    throw new InvalidDataException($"a list answer beyond {maxBytes} bytes"); // the bounded stream throws first
                }
                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, cap));
            }
            var read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }
            filled += read;
        }
        _buffer = _keep ? buffer : null;
        return buffer.AsMemory(0, filled);
    }
}
