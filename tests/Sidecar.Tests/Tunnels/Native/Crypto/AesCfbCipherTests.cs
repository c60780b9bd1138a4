using System.Security.Cryptography;
using Sidecar.Tunnels.Native.Crypto;

namespace Sidecar.Tests.Tunnels.Native.Crypto;

public sealed class AesCfbCipherTests
{
    [Fact]
    public void Transform_NistSp80038aCfb128Vector_MatchesCiphertext()
    {
        // NIST SP 800-38A F.3.13, CFB128-AES128.Encrypt, blocks 1 and 2.
        var key = Convert.FromHexString("2b7e151628aed2a6abf7158809cf4f3c");
        var iv = Convert.FromHexString("000102030405060708090a0b0c0d0e0f");
        var data = Convert.FromHexString("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");
        using var cipher = new AesCfbCipher(key, iv, decrypt: false);
        cipher.Transform(data);
        Assert.Equal("3B3FD92EB72DAD20333449F8E83CFB4AC8A64537A0B3A93FCDE3CDAD9F1CE58B", Convert.ToHexString(data));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(16)]
    [InlineData(23)]
    public void Transform_PiecesOfAnySize_EqualsOneShotCfb128AndDecryptsBack(int piece)
    {
        var key = RandomNumberGenerator.GetBytes(16);
        var iv = RandomNumberGenerator.GetBytes(16);
        var plain = RandomNumberGenerator.GetBytes(160);
        using var aes = Aes.Create();
        aes.Key = key;
        var expected = aes.EncryptCfb(plain, iv, PaddingMode.None, feedbackSizeInBits: 128);

        var data = plain.ToArray();
        using (var encryptor = new AesCfbCipher(key, iv, decrypt: false))
        {
            for (var i = 0; i < data.Length; i += piece)
            {
                encryptor.Transform(data.AsSpan(i, Math.Min(piece, data.Length - i)));
            }
        }
        Assert.Equal(expected, data);

        using var decryptor = new AesCfbCipher(key, iv, decrypt: true);
        for (var i = 0; i < data.Length; i += piece + 3)
        {
            decryptor.Transform(data.AsSpan(i, Math.Min(piece + 3, data.Length - i)));
        }
        Assert.Equal(plain, data);
    }
}
