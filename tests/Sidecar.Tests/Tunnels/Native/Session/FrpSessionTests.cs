using Microsoft.Extensions.Logging.Abstractions;
using Sidecar.Tests.Support;
using Sidecar.Tests.Tunnels.Native.StandIn;
using Sidecar.Tunnels.Native.Session;
using Sidecar.Tunnels;

namespace Sidecar.Tests.Tunnels.Native.Session;

public sealed class FrpSessionTests
{
    [Fact]
    public async Task WaitReadyAsync_GoodToken_LogsInWithRunIdAndNoWorkConnPool()
    {
        await using var frps = new StandInFrps("tok-1");
        frps.Start();
        await using var session = new FrpSession(NativeRig.Server(frps, "tok-1"), NativeRig.Plain, TimeProvider.System, NullLogger.Instance);
        session.Start();
        var (_, runId) = await session.WaitReadyAsync(TestNet.Patience, CancellationToken.None);
        Assert.Matches("^[0-9a-f]{16}$", runId);
        Assert.True(frps.LoginRequests.TryPeek(out var login));
        Assert.Equal(0, login!.PoolCount); // a visitor-only client asks frps for no work connections
        Assert.Equal("0.61.2", login.Version);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WaitReadyAsync_TlsAsFrpcDefaults_LogsIn(bool customFirstByte)
    {
        await using var frps = new StandInFrps("tok-1");
        frps.Start();
        var options = NativeRig.Plain with { Tls = true, CustomTlsFirstByte = customFirstByte };
        await using var session = new FrpSession(NativeRig.Server(frps, "tok-1"), options, TimeProvider.System, NullLogger.Instance);
        session.Start();
        var (_, runId) = await session.WaitReadyAsync(TestNet.Patience, CancellationToken.None);
        Assert.Matches("^[0-9a-f]{16}$", runId);
    }

    [Theory]
    [InlineData("stand-in-frps", true)]
    [InlineData("other-name", false)]
    public async Task WaitReadyAsync_CaFilePinningStandInCertificate_LogsInOnlyWithMatchingServerName(string serverName, bool accepted)
    {
        await using var frps = new StandInFrps("tok-1");
        frps.Start();
        using var temp = new TempDirectory();
        var caFile = temp.File("ca.pem");
        await File.WriteAllTextAsync(caFile, StandInFrps.CertificatePem);
        var options = NativeRig.Plain with { Tls = true, TrustedCaFile = caFile, TlsServerName = serverName };
        await using var session = new FrpSession(NativeRig.Server(frps, "tok-1"), options, TimeProvider.System, NullLogger.Instance);
        session.Start();
        if (accepted)
        {
            await session.WaitReadyAsync(TestNet.Patience, CancellationToken.None);
            Assert.Equal(1, session.Counters.LoginsAccepted.Value);
        }
        else
        {
            await Eventually.TrueAsync(() => session.Counters.LoginsFailed.Value >= 1, "the TLS handshake refused", TestNet.Patience);
            var error = await Assert.ThrowsAsync<FrpSessionUnavailableException>(() => session.WaitReadyAsync(TimeSpan.FromMilliseconds(100), CancellationToken.None));
            Assert.Contains("TLS handshake failed", error.Message);
            Assert.Equal(0, frps.Logins);
        }
    }

    [Fact]
    public async Task WaitReadyAsync_CaFileOfAnotherCa_RefusesStandInCertificate()
    {
        await using var frps = new StandInFrps("tok-1");
        frps.Start();
        using var temp = new TempDirectory();
        var caFile = temp.File("other-ca.pem");
        using (var key = System.Security.Cryptography.ECDsa.Create())
        {
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=stand-in-frps", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
            using var other = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllTextAsync(caFile, other.ExportCertificatePem()); // same name, different key
        }
        var options = NativeRig.Plain with { Tls = true, TrustedCaFile = caFile };
        await using var session = new FrpSession(NativeRig.Server(frps, "tok-1"), options, TimeProvider.System, NullLogger.Instance);
        session.Start();
        await Eventually.TrueAsync(() => session.Counters.LoginsFailed.Value >= 1, "the TLS handshake refused", TestNet.Patience);
        Assert.Equal(0, frps.Logins);
    }

    [Fact]
    public async Task WaitReadyAsync_WrongToken_TimesOutNamingFrpsRefusalAndLogsOnce()
    {
        await using var frps = new StandInFrps("tok-1");
        frps.Start();
        var logger = new CapturingLogger<FrpSession>();
        await using var session = new FrpSession(NativeRig.Server(frps, "wrong"), NativeRig.Plain, TimeProvider.System, logger);
        session.Start();
        await Eventually.TrueAsync(() => frps.RefusedLogins >= 3, "frpc-like retries with backoff", TestNet.Patience);
        var error = await Assert.ThrowsAsync<FrpSessionUnavailableException>(() => session.WaitReadyAsync(TimeSpan.FromMilliseconds(200), CancellationToken.None));
        Assert.Contains("token in login doesn't match", error.Message);
        Assert.Equal(1, logger.Count(TunnelEventIds.SessionLoginFailed));
        Assert.True(session.Counters.LoginsRefused.Value >= 3);
        Assert.True(session.Counters.Reconnects.Value >= 2);
        Assert.Equal((0, 0, 0), (session.Counters.LoginsAccepted.Value, session.Counters.LoginsFailed.Value, session.Counters.SessionsUp.Value));
        Assert.Contains("frps-a", logger.All);
        Assert.DoesNotContain("wrong", logger.All.Replace("doesn't match", ""));
    }

    [Fact]
    public async Task Session_FrpsRestarts_LogsInAgain()
    {
        await using var frps = new StandInFrps("tok-1");
        frps.Start();
        await using var session = new FrpSession(NativeRig.Server(frps, "tok-1"), NativeRig.Plain, TimeProvider.System, NullLogger.Instance);
        session.Start();
        var (_, first) = await session.WaitReadyAsync(TestNet.Patience, CancellationToken.None);
        await Eventually.TrueAsync(() => session.Counters.SessionsUp.Value == 1, "the session counted up", TestNet.Patience);
        frps.Stop();
        await Eventually.TrueAsync(() => session.Counters.SessionsUp.Value == 0, "the session counted down while frps is away", TestNet.Patience);
        frps.Start();
        await Eventually.TrueAsync(() => session.RunId is { } id && id != first, "a new run id after frps restarted", TestNet.Patience);
        Assert.Equal(2, session.Logins);
        await Eventually.TrueAsync(() => session.Counters.SessionsUp.Value == 1, "up again", TestNet.Patience);
        Assert.Equal(2, session.Counters.LoginsAccepted.Value);
        Assert.Equal(0, session.Counters.LoginsRefused.Value);
        Assert.True(session.Counters.Reconnects.Value >= 1);
    }

    [Fact]
    public async Task WaitReadyAsync_NothingListening_TimesOutWithConnectError()
    {
        var port = FreePort.Tcp();
        var server = new Sidecar.Endpoints.FrpsTarget("frps-gone", "127.0.0.1", port, "t");
        await using var session = new FrpSession(server, NativeRig.Plain, TimeProvider.System, NullLogger.Instance);
        session.Start();
        await Eventually.TrueAsync(() => session.FailedAttempts >= 1, "a failed connect", TestNet.Patience);
        Assert.True(session.Counters.LoginsFailed.Value >= 1);
        Assert.Equal(0, session.Counters.LoginsRefused.Value);
        var error = await Assert.ThrowsAsync<FrpSessionUnavailableException>(() => session.WaitReadyAsync(TimeSpan.FromMilliseconds(100), CancellationToken.None));
        Assert.Contains("ConnectionRefused", error.Message);
    }
}
