namespace Sidecar.Hosting;

/// <summary>
/// The log event ids of the process (1–4) and the host: start-up and shutdown (100x). They are stable: dashboards,
/// alerts and tests key on them, so each is named once here, for the <c>[LoggerMessage]</c> attributes and the
/// tests alike. Never reuse or renumber one.
/// </summary>
internal static class HostingEventIds
{
    // Program
    public const int ProcessStarting = 1;
    public const int NonLoopbackRange = 2;
    public const int SettingWarning = 3;
    public const int DescriptorLimit = 4;

    // SidecarHost
    public const int ComponentStarted = 1001;
    public const int Ready = 1002;
    public const int StartupFailed = 1003;
    public const int Stopping = 1004;
    public const int StopTimedOut = 1005;
    public const int StopFailed = 1006;
    public const int Stopped = 1007;
}
