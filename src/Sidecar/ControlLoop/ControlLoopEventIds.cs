namespace Sidecar.ControlLoop;

/// <summary>
/// The log event ids of the control loop: extraction (40xx), reconciling (42xx) and the loop (45xx). They are
/// stable: dashboards, alerts and tests key on them, so each is named once here, for the <c>[LoggerMessage]</c>
/// attributes and the tests alike. Never reuse or renumber one.
/// </summary>
internal static class ControlLoopEventIds
{
    // EndpointExtractor
    public const int ItemSkipped = 4001;
    public const int EndpointContested = 4002;
    public const int EndpointFailover = 4003;
    public const int ItemSkippedDetail = 4004;
    public const int ItemsSkippedSummary = 4005;
    public const int PortsCapped = 4006;

    // Reconciler
    public const int Reconciled = 4201;
    public const int EndpointChanged = 4202;
    public const int DriverFailed = 4203;
    public const int MappingAdded = 4204;
    public const int MappingRemoved = 4205;
    public const int NamePublished = 4206;
    public const int NameWithdrawn = 4207;

    // ReconcileLoop
    public const int NotSynced = 4502;
    public const int LoopCrashed = 4504;
    public const int PassFailed = 4505;
    public const int FirstLoad = 4506;
}
