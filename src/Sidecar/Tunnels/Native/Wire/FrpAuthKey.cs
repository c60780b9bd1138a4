using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Sidecar.Tunnels.Native.Wire;

/// <summary>
/// frp's keyed proof of a shared secret: lowercase hex of md5(secret + decimal timestamp), used as the
/// login's privilege key (secret = token) and the visitor's sign key (secret = the proxy's secret key)
/// (frp v0.61 pkg/util/util GetAuthKey). MD5 is frp's choice, not ours; the timestamp bounds replay.
/// </summary>
internal static class FrpAuthKey
{
    public static string Compute(string secret, long timestamp)
    {
        var secretBytes = Encoding.UTF8.GetByteCount(secret);
        Span<byte> input = secretBytes <= 512 ? stackalloc byte[secretBytes + 20] : new byte[secretBytes + 20];
        var written = Encoding.UTF8.GetBytes(secret, input);
        timestamp.TryFormat(input[written..], out var digits, provider: CultureInfo.InvariantCulture);
        Span<byte> hash = stackalloc byte[MD5.HashSizeInBytes];
        MD5.HashData(input[..(written + digits)], hash);
        return Convert.ToHexStringLower(hash);
    }
}
