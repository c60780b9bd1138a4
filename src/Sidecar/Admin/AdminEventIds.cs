namespace Sidecar.Admin;

/// <summary>
/// The log event ids of the admin endpoint (600x) and its HTTP server (601x). They are stable: dashboards, alerts
/// and tests key on them, so each is named once here, for the <c>[LoggerMessage]</c> attributes and the tests
/// alike. Never reuse or renumber one.
/// </summary>
internal static class AdminEventIds
{
    // AdminServer
    public const int Listening = 6001;

    // HttpServer
    public const int ClientGone = 6002;
    public const int AcceptFailed = 6010;
    public const int Pressure = 6011;
    public const int HandlerFailed = 6012;
}
