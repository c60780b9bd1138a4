using System.Text;

namespace Sidecar.Tests.Discovery.StandIn;

/// <summary>Writes a kubeconfig pointing at the stand-in API server, the way kubectl would read it.</summary>
internal static class StandInKubeconfig
{
    public static string Write(string directory, Uri server, string caPem, string? token, (string CertPem, string KeyPem)? clientCertificate = null)
    {
        var user = new StringBuilder();
        if (token is not null)
        {
            user.Append("    token: ").Append(token).Append('\n');
        }
        if (clientCertificate is { } c)
        {
            user.Append("    client-certificate-data: ").Append(B64(c.CertPem)).Append('\n');
            user.Append("    client-key-data: ").Append(B64(c.KeyPem)).Append('\n');
        }
        var text = $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: stand-in
              cluster:
                server: {server.ToString().TrimEnd('/')}
                certificate-authority-data: {B64(caPem)}
            users:
            - name: tester
              user:
            {user}
            contexts:
            - name: stand-in
              context:
                cluster: stand-in
                user: tester
            current-context: stand-in

            """;
        var path = Path.Combine(directory, $"kubeconfig-{Guid.NewGuid():N}");
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return path;
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
