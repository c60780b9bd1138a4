namespace Sidecar.Hosting;

internal static class ExitCodes
{
    /// <summary>Clean shutdown after SIGTERM or SIGINT, or --help/--version.</summary>
    public const int Ok = 0;
    /// <summary>Start-up failed (e.g. the DNS address is in use); the log says what to do.</summary>
    public const int StartupFailed = 1;
    /// <summary>A setting has a bad value.</summary>
    public const int BadSettings = 2;
}
