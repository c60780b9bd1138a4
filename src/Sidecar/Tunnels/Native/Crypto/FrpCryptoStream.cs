using System.Buffers;
using System.Security.Cryptography;

namespace Sidecar.Tunnels.Native.Crypto;

/// <summary>
/// frp's encrypted connection (golib crypto Reader/Writer): AES-128-CFB with a key from <see cref="FrpKey"/>.
/// Each direction has its own random IV, sent as the first 16 bytes before that direction's first data; the
/// writer sends its IV lazily with the first write, as golib does, so a side that never writes sends nothing.
/// </summary>
internal sealed class FrpCryptoStream(Stream inner, byte[] key, bool leaveOpen = false) : Stream
{
    private AesCfbCipher? _encryptor;
    private AesCfbCipher? _decryptor;

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_decryptor is null)
        {
            var iv = new byte[AesCfbCipher.BlockSize];
            var got = await inner.ReadAtLeastAsync(iv, iv.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (got == 0)
            {
                return 0;
            }
            if (got < iv.Length)
            {
                throw new IOException("the encrypted stream ended inside its IV");
            }
            _decryptor = new AesCfbCipher(key, iv, decrypt: true);
        }
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        _decryptor.Transform(buffer.Span[..read]);
        return read;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var ivLength = 0;
        var rented = ArrayPool<byte>.Shared.Rent(buffer.Length + AesCfbCipher.BlockSize);
        try
        {
            if (_encryptor is null)
            {
                RandomNumberGenerator.Fill(rented.AsSpan(0, AesCfbCipher.BlockSize));
                _encryptor = new AesCfbCipher(key, rented.AsSpan(0, AesCfbCipher.BlockSize), decrypt: false);
                ivLength = AesCfbCipher.BlockSize;
            }
            var data = rented.AsSpan(ivLength, buffer.Length);
            buffer.Span.CopyTo(data);
            _encryptor.Transform(data);
            await inner.WriteAsync(rented.AsMemory(0, ivLength + buffer.Length), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _encryptor?.Dispose();
            _decryptor?.Dispose();
            if (!leaveOpen)
            {
                inner.Dispose();
            }
        }
        base.Dispose(disposing);
    }
}
