using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace Sidecar.Tunnels.Native.Crypto;

/// <summary>
/// AES in CFB mode with 128-bit segments (NIST SP 800-38A §6.3), as a byte stream of any length, the way Go's
/// cipher.NewCFBEncrypter works. .NET's one-shot <c>Aes.EncryptCfb</c> cannot continue across calls on
/// partial blocks, so CFB is built here on single-block ECB: keystream = E(previous ciphertext block). One
/// reused ECB transform and two 16-byte buffers: no allocation per call.
/// </summary>
internal sealed class AesCfbCipher : IDisposable
{
    public const int BlockSize = 16;

    private readonly Aes _aes;
    private readonly ICryptoTransform _ecb;
    private readonly bool _decrypt;
    private readonly byte[] _register = new byte[BlockSize];
    private readonly byte[] _keystream = new byte[BlockSize];
    private int _position = BlockSize;

    public AesCfbCipher(byte[] key, ReadOnlySpan<byte> iv, bool decrypt)
    {
        if (iv.Length != BlockSize)
        {
            throw new ArgumentException($"the IV must be {BlockSize} bytes", nameof(iv));
        }
        _aes = Aes.Create();
        _aes.Key = key;
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _ecb = _aes.CreateEncryptor();
        _decrypt = decrypt;
        iv.CopyTo(_register);
    }

    /// <summary>Encrypts or decrypts (as constructed) <paramref name="data"/> in place.</summary>
    public void Transform(Span<byte> data)
    {
        var i = 0;
        while (i < data.Length)
        {
            if (_position == BlockSize)
            {
                _ecb.TransformBlock(_register, 0, BlockSize, _keystream, 0);
                _position = 0;
                if (data.Length - i >= BlockSize)
                {
                    TransformWholeBlock(data.Slice(i, BlockSize));
                    i += BlockSize;
                    continue;
                }
            }
            var b = data[i];
            var x = (byte)(b ^ _keystream[_position]);
            // The feedback is always the ciphertext: the input when decrypting, the output when encrypting.
            _register[_position] = _decrypt ? b : x;
            data[i] = x;
            _position++;
            i++;
        }
    }

    private void TransformWholeBlock(Span<byte> block)
    {
        var input = Vector128.Create<byte>(block);
        var output = input ^ Vector128.Create<byte>(_keystream);
        output.CopyTo(block);
        (_decrypt ? input : output).CopyTo(_register);
        _position = BlockSize;
    }

    public void Dispose()
    {
        _ecb.Dispose();
        _aes.Dispose();
    }
}
