using System.Net.Sockets;

namespace Sidecar.Resilience;

/// <summary>
/// How a <see cref="BoundedAcceptLoop"/> reports, through its owner's own log messages (so each server keeps its
/// stable event ids and wording).
/// </summary>
/// <param name="AcceptFailed">accept(2) failed and the loop carried on.</param>
/// <param name="ConnectionFailed">A connection ended with a socket error (the client went away).</param>
/// <param name="Pressure">At most once per interval: evictions, refusals and timeouts since the last report.</param>
internal sealed record AcceptLoopEvents(
    Action<SocketError> AcceptFailed,
    Action<string> ConnectionFailed,
    Action<long, long, long> Pressure);
