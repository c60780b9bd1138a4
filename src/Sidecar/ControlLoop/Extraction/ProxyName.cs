using Sidecar.Dns.Wire;
using Sidecar.Logging;

namespace Sidecar.ControlLoop.Extraction;

/// <summary>
/// A proxy name read as a service: either plain (<c>mysql.abc</c>) or the operator's URI convention
/// <c>proto://name.namespace.cluster:port/type/ip?k=v</c> (scheme = protocol, host = service, port = service port).
/// </summary>
internal readonly record struct ProxyName(string Service, string? Scheme, int? Port)
{
    public static bool TryParse(string value, out ProxyName parsed, out string error)
    {
        parsed = default;
        if (value.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            {
                error = "proxyName looks like a URI but does not parse as one";
                return false;
            }
            var host = uri.Host.TrimEnd('.').ToLowerInvariant();
            if (!DnsName.IsValid(host))
            {
                error = $"URI host '{UntrustedText.ForLog(host)}' is not a valid DNS name";
                return false;
            }
            // Uri reports -1 for a scheme it has no default port for (tcp, udp) when none is written.
            parsed = new ProxyName(host, uri.Scheme.ToLowerInvariant(), uri.Port is > 0 and <= 65535 ? uri.Port : null);
            error = "";
            return true;
        }

        var name = value.Trim().TrimEnd('.').ToLowerInvariant();
        if (!DnsName.IsValid(name))
        {
            error = $"proxyName '{UntrustedText.ForLog(value)}' is not a valid DNS name";
            return false;
        }
        parsed = new ProxyName(name, null, null);
        error = "";
        return true;
    }
}
