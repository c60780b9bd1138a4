using Sidecar.Tunnels.Native.Metrics;
using Sidecar.Tunnels.Native.Session;
using Sidecar.Tunnels.Native.Visitors;

namespace Sidecar.Tests.Tunnels.Native.Metrics;

public sealed class NativeCountersTests
{
    [Fact]
    public void Acquire_SameResourceTwice_SharesOneSetUntilLastRelease()
    {
        var native = new NativeCounters();
        var first = native.Acquire("frps-a");
        var second = native.Acquire("frps-a"); // a changed token's session overlapping the old one
        Assert.Same(first, second);

        native.Release("frps-a");
        Assert.Single(native.Servers());
        native.Release("frps-a");
        Assert.Empty(native.Servers());
        Assert.NotSame(first, native.Acquire("frps-a"));
    }

    [Theory]
    [InlineData("custom listener for [x] doesn't exist", "unknown_proxy")]
    [InlineData("visitor connection of [x] auth failed", "wrong_secret")]
    [InlineData("visitor connection of [x] user [u] not allowed", "user_not_allowed")]
    [InlineData("something new", "refused")]
    public void Classify_FrpsRefusal_SortedByFrpsText(string serverError, string expected) =>
        Assert.Equal(expected, VisitorFailureLabels.Label(VisitorFailureLabels.Classify(new FrpVisitorRefusedException(serverError))));

    [Fact]
    public void Classify_NoSessionVersusNoResponseVersusBrokenStream_Distinguished()
    {
        Assert.Equal(VisitorFailure.NoSession, VisitorFailureLabels.Classify(new FrpSessionUnavailableException("no session")));
        Assert.Equal(VisitorFailure.NoResponse, VisitorFailureLabels.Classify(new TimeoutException("no NewVisitorConnResp")));
        Assert.Equal(VisitorFailure.StreamFailed, VisitorFailureLabels.Classify(new EndOfStreamException()));
    }
}
