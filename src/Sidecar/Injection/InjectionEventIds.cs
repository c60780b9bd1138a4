namespace Sidecar.Injection;

/// <summary>The log event ids of the injection webhook (80xx). Stable: never reuse or renumber one.</summary>
internal static class InjectionEventIds
{
    public const int Listening = 8001;
    public const int ClientGone = 8002;
    public const int AcceptFailed = 8003;
    public const int Pressure = 8004;
    public const int CertificateReloadFailed = 8005;
    public const int StartFailed = 8006;
    public const int HandshakeFailed = 8007;
    public const int Admitted = 8010;
    public const int Denied = 8011;
    public const int AllowedOnError = 8012;
    public const int Malformed = 8013;
}
