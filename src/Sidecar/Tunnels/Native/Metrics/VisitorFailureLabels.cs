using Sidecar.Tunnels.Native.Session;
using Sidecar.Tunnels.Native.Visitors;

namespace Sidecar.Tunnels.Native.Metrics;

/// <summary>Sorts a visitor's failure into <see cref="VisitorFailure"/>, and names each as /metrics shows it.</summary>
internal static class VisitorFailureLabels
{
    public static VisitorFailure Classify(Exception e) => e switch
    {
        FrpVisitorRefusedException refused => refused.Refusal switch
        {
            FrpVisitorRefusal.UnknownProxy => VisitorFailure.UnknownProxy,
            FrpVisitorRefusal.WrongSecret => VisitorFailure.WrongSecret,
            FrpVisitorRefusal.UserNotAllowed => VisitorFailure.UserNotAllowed,
            _ => VisitorFailure.Refused,
        },
        FrpSessionUnavailableException => VisitorFailure.NoSession,
        TimeoutException or OperationCanceledException => VisitorFailure.NoResponse,
        _ => VisitorFailure.StreamFailed,
    };

    public static string Label(VisitorFailure failure) => failure switch
    {
        VisitorFailure.UnknownProxy => "unknown_proxy",
        VisitorFailure.WrongSecret => "wrong_secret",
        VisitorFailure.UserNotAllowed => "user_not_allowed",
        VisitorFailure.Refused => "refused",
        VisitorFailure.NoSession => "no_session",
        VisitorFailure.NoResponse => "no_response",
        _ => "stream_failed",
    };
}
