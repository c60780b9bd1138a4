namespace Sidecar.ControlLoop.Extraction;

/// <summary>Bounds on what resources can make the sidecar do; a resource's writer is not trusted to be modest.</summary>
internal static class EndpointLimits
{
    /// <summary>
    /// Ports (tunnels: listeners, frpc visitors) one mapped service may have. A service offers one port per
    /// protocol it speaks (mysql 3306, an HTTP service 80/443 plus metrics); 16 leaves room for any real one.
    /// With at most <c>--max-services</c> services this bounds every tunnel, frpc visitor, TOML line and
    /// <c>/debug/mappings</c> entry: 100 × 16 = 1,600, where one resource could otherwise ask for 10,000 ports
    /// of one name (1.5 MB of frpc TOML, 2.9 MB of mappings).
    /// </summary>
    public const int MaxPortsPerService = 16;

    /// <summary>Skipped items described one by one per read; the rest are counted in one summary line.</summary>
    public const int MaxProblemDetails = 5;
}
