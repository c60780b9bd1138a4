namespace Sidecar.Tunnels;

/// <summary>
/// The log event ids of tunnels: the driver (50xx), frpc (51xx, 52xx), the forwarder (53xx) and native visitors
/// (7xxx). They are stable: dashboards, alerts and tests key on them, so each is named once here, for the
/// <c>[LoggerMessage]</c> attributes and the tests alike. Never reuse or renumber one.
/// </summary>
internal static class TunnelEventIds
{
    // TunnelDriver
    public const int NotTunnelled = 5001;
    public const int TunnelsStopped = 5002;
    public const int StateDirUnavailable = 5003;
    public const int NoSecretKey = 5004;
    public const int XtcpViaStcpTwin = 5005;

    // FrpcSupervisor
    public const int FrpcStarted = 5101;
    public const int FrpcExited = 5102;
    public const int FrpcCrashLoop = 5103;
    public const int FrpcMissing = 5104;
    public const int FrpcStartFailed = 5105;
    public const int FrpcOutput = 5106;
    public const int FrpcReloaded = 5107;
    public const int FrpcReloadUnreachable = 5108;
    public const int FrpcReloadRejected = 5109;
    public const int VisitorListening = 5110;
    public const int FrpcKilled = 5111;
    public const int FrpcConfigWriteFailed = 5112;
    public const int FrpcStateDirUnusable = 5113;

    // ChildProcessRegistry
    public const int LeftoverKilled = 5201;
    public const int LeftoverNotOurs = 5202;
    public const int PrivateDirectory = 5203;

    // Forwarder
    public const int ForwarderListening = 5301;
    public const int ForwarderBindFailed = 5302;
    public const int ForwarderServeFailed = 5303;
    public const int ForwarderClosed = 5304;
    public const int ForwarderUpstreamFailed = 5305;
    public const int ForwarderAtCap = 5306;
    public const int ForwarderAcceptPaused = 5307;

    // FrpSession
    public const int SessionLoggedIn = 7001;
    public const int SessionLoginFailed = 7002;
    public const int SessionEnded = 7003;
    public const int SessionControlMessage = 7004;

    // StcpVisitor
    public const int StcpVisitorFailed = 7101;

    // SudpVisitor
    public const int SudpVisitorFailed = 7102;
}
