using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Sidecar.Endpoints;
using Sidecar.Resilience;
using Sidecar.Tunnels.Native.Crypto;
using Sidecar.Tunnels.Native.Metrics;
using Sidecar.Tunnels.Native.Wire;
using Sidecar.Tunnels.Native.Yamux;

namespace Sidecar.Tunnels.Native.Session;

/// <summary>
/// One logged-in session with one frp server, shared by all its visitors: connect, Login, keep the control
/// stream read, and on any failure reconnect with jittered backoff for as long as the session is wanted.
/// Visitors ask for the live session per connection (<see cref="WaitReadyAsync"/>), waiting a bounded time
/// while frps is away, so their listeners can stay bound across frps restarts.
/// </summary>
internal sealed partial class FrpSession : IAsyncDisposable
{
    private readonly FrpSessionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource<Live> _ready = NewReady();
    private Task? _run;
    private string? _lastError;

    public FrpSession(FrpsTarget server, FrpSessionOptions options, TimeProvider time, ILogger logger, FrpServerCounters? counters = null)
    {
        Server = server;
        _options = options;
        _time = time;
        _logger = logger;
        Counters = counters ?? new FrpServerCounters();
    }

    /// <summary>This server's metrics, shared with its visitors.</summary>
    public FrpServerCounters Counters { get; }

    public FrpsTarget Server { get; }

    public FrpSessionOptions Options => _options;

    public TimeProvider Time => _time;

    /// <summary>The run id frps gave the current session; null while not logged in.</summary>
    public string? RunId => _ready.Task.IsCompletedSuccessfully ? _ready.Task.Result.RunId : null;

    public long Logins => Interlocked.Read(ref _logins);

    public long FailedAttempts => Interlocked.Read(ref _failedAttempts);

    private long _logins;
    private long _failedAttempts;

    public void Start() => _run ??= Task.Run(RunAsync);

    /// <summary>The live session, waiting at most <paramref name="wait"/> for a login to succeed.</summary>
    /// <exception cref="FrpSessionUnavailableException">No session within the wait; the message says why (the last error).</exception>
    public async Task<(YamuxSession Mux, string RunId)> WaitReadyAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = _time.GetTimestamp() + (long)(wait.TotalSeconds * _time.TimestampFrequency);
        while (true)
        {
            var remaining = TimeSpan.FromSeconds(Math.Max(0, deadline - _time.GetTimestamp()) / (double)_time.TimestampFrequency);
            Live live;
            try
            {
                live = await Volatile.Read(ref _ready).Task.WaitAsync(remaining, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new FrpSessionUnavailableException($"no session with frps {Server} within {wait.TotalSeconds:0} s" +
                    (Volatile.Read(ref _lastError) is { } error ? $" (last error: {error})" : ""));
            }
            if (!live.Mux.IsClosed)
            {
                return (live.Mux, live.RunId);
            }
            // The session just died and the run loop has not yet swapped in a fresh wait: give it a moment.
            await Task.Delay(DeadSessionPoll, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static readonly TimeSpan DeadSessionPoll = TimeSpan.FromMilliseconds(20);

    /// <summary>Called by a visitor whose stream failed on a dead mux: drop it now rather than at the next keepalive.</summary>
    public void ReportBroken(YamuxSession mux)
    {
        if (_ready.Task.IsCompletedSuccessfully && ReferenceEquals(_ready.Task.Result.Mux, mux))
        {
            _ = mux.DisposeAsync();
        }
    }

    private async Task RunAsync()
    {
        var attempt = 0;
        var first = true;
        while (!_stop.IsCancellationRequested)
        {
            if (!first)
            {
                Counters.Reconnects.Increment();
            }
            first = false;
            YamuxSession? mux = null;
            var up = false;
            try
            {
                mux = await ConnectAndLoginAsync(_stop.Token).ConfigureAwait(false);
                Counters.LoginsAccepted.Increment();
                Counters.SessionsUp.Increment();
                up = true;
                attempt = 0;
                await mux.Completion.WaitAsync(_stop.Token).ConfigureAwait(false);
                LogSessionEnded(Server.ToString(), "closed");
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                var reason = Describe(e);
                Interlocked.Increment(ref _failedAttempts);
                if (mux is null)
                {
                    (e is FrpLoginRefusedException ? Counters.LoginsRefused : Counters.LoginsFailed).Increment();
                    // One line per change of reason: a refused token is said once, not every 20 s.
                    if (reason != Interlocked.Exchange(ref _lastError, reason))
                    {
                        LogLoginFailed(Server.ToString(), reason);
                    }
                }
                else
                {
                    Volatile.Write(ref _lastError, reason);
                    LogSessionEnded(Server.ToString(), reason);
                }
            }
            finally
            {
                if (up)
                {
                    Counters.SessionsUp.Decrement();
                }
                if (mux is not null)
                {
                    Interlocked.Exchange(ref _ready, NewReady());
                    await mux.DisposeAsync().ConfigureAwait(false);
                }
            }
            var delay = Backoff.Delay(attempt++, _options.ReconnectInitial, _options.ReconnectMax);
            try
            {
                await Task.Delay(delay, _time, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task<YamuxSession> ConnectAndLoginAsync(CancellationToken cancellationToken)
    {
        var transport = await FrpConnector.ConnectAsync(Server.Host, Server.Port, _options, cancellationToken).ConfigureAwait(false);
        var mux = new YamuxSession(transport, _options.Yamux, _time);
        try
        {
            mux.Start();
            var control = await mux.OpenStreamAsync(cancellationToken).ConfigureAwait(false);
            var runId = await LoginAsync(control, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _logins);
            Volatile.Write(ref _lastError, null);
            LogLoggedIn(Server.ToString(), runId);
            _ = Task.Run(() => ReadControlAsync(mux, control));
            Volatile.Read(ref _ready).TrySetResult(new Live(mux, runId));
            return mux;
        }
        catch
        {
            await mux.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<string> LoginAsync(YamuxStream control, CancellationToken cancellationToken)
    {
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        var login = new LoginMessage
        {
            Version = FrpProtocol.Version,
            Os = "linux",
            Arch = GoArch(),
            User = _options.User,
            PrivilegeKey = FrpAuthKey.Compute(Server.Token ?? "", timestamp),
            Timestamp = timestamp,
        };
        await control.WriteAsync(FrpMessageCodec.Encode(FrpMessageType.Login, login, FrpWireJsonContext.Default.LoginMessage), cancellationToken).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.LoginTimeout);
        FrpFrame? frame;
        try
        {
            frame = await FrpMessageCodec.ReadAsync(control, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no LoginResp within {_options.LoginTimeout.TotalSeconds:0} s");
        }
        var response = FrpMessageCodec.Decode(frame ?? throw new FrpProtocolException("frps closed the control stream before LoginResp"),
            FrpMessageType.LoginResp, FrpWireJsonContext.Default.LoginRespMessage);
        if (!string.IsNullOrEmpty(response.Error))
        {
            throw new FrpLoginRefusedException(response.Error);
        }
        return string.IsNullOrEmpty(response.RunId) ? throw new FrpProtocolException("LoginResp without a run id") : response.RunId;
    }

    /// <summary>
    /// After LoginResp the control stream is AES-128-CFB keyed by the token (client/control.go). A visitor
    /// needs nothing from it, but reads it so yamux windows keep moving and a closed control ends the session.
    /// </summary>
    private async Task ReadControlAsync(YamuxSession mux, YamuxStream control)
    {
        await using var encrypted = new FrpCryptoStream(control, FrpKey.Derive(Server.Token ?? ""));
        try
        {
            while (await FrpMessageCodec.ReadAsync(encrypted, CancellationToken.None).ConfigureAwait(false) is { } frame)
            {
                LogControlMessage(Server.ToString(), frame.ToString());
            }
        }
        catch (Exception e) when (e is IOException or FrpProtocolException or ObjectDisposedException)
        {
            // The session's own failure is reported by the run loop.
        }
        await mux.DisposeAsync().ConfigureAwait(false);
    }

    private static string Describe(Exception e) => e switch
    {
        FrpLoginRefusedException refused => $"login refused by frps: \"{refused.ServerError}\" (check the FRPServer's auth token)",
        System.Security.Authentication.AuthenticationException => $"TLS handshake failed: {e.Message} (does frps have TLS enabled, and is the CA right?)",
        System.Net.Sockets.SocketException s => $"cannot connect: {s.SocketErrorCode}",
        OperationCanceledException or TimeoutException => $"timed out: {e.Message}",
        FrpProtocolException or YamuxProtocolException => $"protocol mismatch: {e.Message} (is this port frps, with the same TLS setting?)",
        _ => e.Message,
    };

    private static string GoArch() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        var other => other.ToString().ToLowerInvariant(),
    };

    private static TaskCompletionSource<Live> NewReady() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_run is not null)
        {
            await _run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        if (_ready.Task.IsCompletedSuccessfully)
        {
            await _ready.Task.Result.Mux.DisposeAsync().ConfigureAwait(false);
        }
    }

    private sealed record Live(YamuxSession Mux, string RunId);
}
