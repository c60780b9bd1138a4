namespace Sidecar.Discovery;

/// <summary>
/// The log event ids of discovery: the Kubernetes source (41xx), the file source (415x) and the component (45xx).
/// They are stable: dashboards, alerts and tests key on them, so each is named once here, for the
/// <c>[LoggerMessage]</c> attributes and the tests alike. Never reuse or renumber one.
/// </summary>
internal static class DiscoveryEventIds
{
    // KubernetesSource
    public const int Listed = 4101;
    public const int ListFailed = 4102;
    public const int ListRecovered = 4103;
    public const int WatchExpired = 4104;
    public const int WatchFailed = 4105;
    public const int UnknownEvent = 4106;
    public const int SafetyRelist = 4107;

    // FileSource
    public const int FileLoaded = 4151;
    public const int FileReadFailed = 4152;
    public const int FileParseFailed = 4153;
    public const int FileNotWatched = 4154;
    public const int FileTooLarge = 4155;

    // DiscoveryComponent
    public const int SourceStarting = 4501;
    public const int SourceCrashed = 4503;
}
