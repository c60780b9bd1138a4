using Sidecar.Logging;

namespace Sidecar.Endpoints;

/// <summary>
/// The frp server an endpoint is reached through: where to dial it and how to log in.
/// Equality is by value, so two endpoints of the same server share one frpc process.
/// </summary>
/// <param name="Resource">The FRPServer resource name, for logs and metrics.</param>
/// <param name="Host">Host name or address to dial (status.internetAddr, spec.bindAddr or --frps-addr).</param>
/// <param name="Port">frps bind port (spec.bindPort, default 7000).</param>
/// <param name="Token">Auth token; a secret, never logged.</param>
internal sealed record FrpsTarget(string Resource, string Host, int Port, string? Token)
{
    /// <summary>frp's default <c>bindPort</c>.</summary>
    public const int DefaultPort = 7000;

    // Records print every member; keep the token out of any accidental log line. Resource and host come from
    // the resource's writer: logged only cut and escaped.
    public override string ToString() => $"{UntrustedText.ForLog(Resource)} ({UntrustedText.ForLog(Host)}:{Port})";
}
