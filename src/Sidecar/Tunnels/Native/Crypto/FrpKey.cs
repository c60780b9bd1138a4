using System.Security.Cryptography;
using System.Text;

namespace Sidecar.Tunnels.Native.Crypto;

/// <summary>
/// The AES-128 key frp derives from a password (the token for the control stream, the secret key for a
/// visitor's leg): PBKDF2-HMAC-SHA1, salt "frp", 64 iterations, 16 bytes. golib's crypto package defaults
/// the salt to "crypto", but frpc and frps both set it to "frp" at start-up (frp v0.61 client/service.go,
/// server/service.go); the transcripts confirm "frp".
/// </summary>
internal static class FrpKey
{
    public const int KeyLength = 16;
    private const int Iterations = 64;
    private static readonly byte[] Salt = "frp"u8.ToArray();

    public static byte[] Derive(string password) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Salt, Iterations, HashAlgorithmName.SHA1, KeyLength);
}
