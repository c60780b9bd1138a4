using Sidecar.Tests.Support;

namespace Sidecar.Tests.Deploy;

/// <summary>
/// Dockerfile.distroless cannot be built here (no Docker in CI), so its shape is checked as text: the default
/// image has no frpc, and WITH_FRPC=true selects the stage that adds it.
/// </summary>
public sealed class DockerfileTests
{
    private static readonly string[] Lines = File.ReadAllLines(RepositoryRoot.File("Dockerfile.distroless"));

    [Fact]
    public void Dockerfile_DefaultBuild_FinalStageIsTheOneWithoutFrpc()
    {
        var firstFrom = Array.FindIndex(Lines, l => l.StartsWith("FROM ", StringComparison.Ordinal));
        Assert.Contains("ARG WITH_FRPC=false", Lines[..firstFrom]);
        Assert.Equal("FROM runtime-${WITH_FRPC}", Lines.Last(l => l.StartsWith("FROM ", StringComparison.Ordinal)));

        var withoutFrpc = Stage("runtime-false");
        Assert.Contains(withoutFrpc, l => l.StartsWith("COPY --from=build /out/sidecar ", StringComparison.Ordinal));
        Assert.DoesNotContain(withoutFrpc, l => !l.StartsWith('#') && l.Contains("frpc", StringComparison.Ordinal));
    }

    [Fact]
    public void Dockerfile_WithFrpcTrue_StageAddsFrpcOnPath()
    {
        var withFrpc = Stage("runtime-true");

        Assert.Contains("FROM runtime-false AS runtime-true", Lines);
        Assert.Contains("COPY --from=frpc /frpc /usr/local/bin/frpc", withFrpc);
    }

    /// <summary>The lines of a named stage, up to the next FROM.</summary>
    private static string[] Stage(string name)
    {
        var start = Array.FindIndex(Lines, l => l.StartsWith("FROM ", StringComparison.Ordinal) && l.EndsWith(" AS " + name, StringComparison.Ordinal));
        Assert.True(start >= 0, $"no stage {name}");
        var end = Array.FindIndex(Lines, start + 1, l => l.StartsWith("FROM ", StringComparison.Ordinal));
        return Lines[(start + 1)..(end < 0 ? Lines.Length : end)];
    }
}
