using Sidecar.Observability;

namespace Sidecar.Tunnels.Native.Metrics;

/// <summary>
/// What the native engine counts for one frp server (one FRPServer resource): its session, its logins and
/// its visitors' streams and failures. Lock-free; the session and visitors add, /metrics only reads.
/// </summary>
internal sealed class FrpServerCounters
{
    private readonly Counter[] _visitorFailures = [.. Enum.GetValues<VisitorFailure>().Select(_ => new Counter())];

    /// <summary>Sessions logged in now: 1 while up, 0 while connecting or backing off (2 only while a changed token's session overlaps the old one).</summary>
    public Gauge SessionsUp { get; } = new();

    public Counter LoginsAccepted { get; } = new();

    /// <summary>LoginResp carried an error (frps refused the token or the user).</summary>
    public Counter LoginsRefused { get; } = new();

    /// <summary>Attempts that ended before any LoginResp: connect, TLS, timeout or protocol failures.</summary>
    public Counter LoginsFailed { get; } = new();

    /// <summary>Connection attempts made because the previous session or attempt ended.</summary>
    public Counter Reconnects { get; } = new();

    /// <summary>Visitor streams open now (stcp connections and sudp streams; the control stream not counted).</summary>
    public Gauge OpenStreams { get; } = new();

    /// <summary>How many users (sessions) share this set; managed by <see cref="NativeCounters"/> only.</summary>
    internal int Users { get; set; }

    public void VisitorFailed(VisitorFailure failure) => _visitorFailures[(int)failure].Increment();

    public long VisitorFailures(VisitorFailure failure) => _visitorFailures[(int)failure].Value;

    /// <summary>Login attempts by result, labelled as /metrics shows them.</summary>
    public IEnumerable<(string Result, long Count)> LoginsByResult()
    {
        yield return ("accepted", LoginsAccepted.Value);
        yield return ("refused", LoginsRefused.Value);
        yield return ("failed", LoginsFailed.Value);
    }

    /// <summary>Every failure reason (zero included), labelled as /metrics shows them.</summary>
    public IEnumerable<(string Reason, long Count)> VisitorFailuresByReason()
    {
        foreach (var failure in Enum.GetValues<VisitorFailure>())
        {
            yield return (VisitorFailureLabels.Label(failure), _visitorFailures[(int)failure].Value);
        }
    }
}
