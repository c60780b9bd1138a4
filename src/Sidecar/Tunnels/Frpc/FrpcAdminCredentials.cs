using System.Security.Cryptography;

namespace Sidecar.Tunnels.Frpc;

/// <summary>Random credentials for one frpc's admin API; never logged, only in the 0600 config file.</summary>
internal sealed record FrpcAdminCredentials(string User, string Password)
{
    // 128 bits each: unguessable by another local user probing the loopback port.
    private const int RandomBytes = 16;

    public static FrpcAdminCredentials CreateRandom() =>
        new("sidecar-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(RandomBytes)));

    public override string ToString() => $"{User} (password hidden)";
}
