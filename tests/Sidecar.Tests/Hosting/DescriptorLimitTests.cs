using Sidecar.Hosting;

namespace Sidecar.Tests.Hosting;

/// <remarks>
/// The test host (CoreCLR) has raised its own soft limit already, so this checks the getrlimit/setrlimit
/// interop, not the raise; the raise matters to the Native AOT binary, which keeps what it was given
/// (checked by hand: started with <c>ulimit -Sn 1024</c>, /proc/PID/limits showed 1024 before, the hard limit after).
/// </remarks>
public sealed class DescriptorLimitTests
{
    [Fact]
    public void RaiseSoftToHard_Called_SoftLimitIsTheHardLimit()
    {
        var (_, after) = DescriptorLimit.RaiseSoftToHard();

        var (soft, hard) = DescriptorLimit.Current();
        Assert.True(soft > 0, "getrlimit answered");
        Assert.Equal(hard, soft);
        Assert.Equal(soft, after);
    }
}
