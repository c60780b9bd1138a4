using System.Text.Json.Nodes;

namespace Sidecar.Tests.Deploy;

/// <summary>deploy/example-pod.yaml passes <see cref="SidecarPodCheck"/>, and each way of breaking it is caught
/// (so the same check on a patched Pod means something).</summary>
public sealed class ExamplePodTests
{
    private static JsonObject ExamplePod() => DeployManifests.Single("deploy/example-pod.yaml", "Pod");

    private static JsonNode Sidecar(JsonNode pod) => pod["spec"]!["initContainers"]![0]!;

    [Fact]
    public void ExamplePod_AsShipped_PassesTheSidecarPodChecks()
    {
        Assert.Empty(SidecarPodCheck.Problems(ExamplePod()));
    }

    public static TheoryData<string> Breakages => new()
    {
        "sidecar as an ordinary container",
        "no restartPolicy",
        "a namespace search missing",
        "ClusterFirst",
        "no upstream for forward",
        "neither capability nor sysctl",
        "startup probe on /healthz",
        "bad mapped-services flag",
        "no memory limit",
        "state directory on the root file system",
    };

    [Theory]
    [MemberData(nameof(Breakages))]
    public void ExamplePod_Broken_Caught(string breakage)
    {
        var pod = ExamplePod();
        var spec = pod["spec"]!.AsObject();
        var sidecar = Sidecar(pod).AsObject();
        switch (breakage)
        {
            case "sidecar as an ordinary container":
                spec["initContainers"]!.AsArray().Remove(sidecar);
                spec["containers"]!.AsArray().Add(sidecar);
                break;
            case "no restartPolicy":
                sidecar.Remove("restartPolicy");
                break;
            case "a namespace search missing":
                spec["dnsConfig"]!["searches"]!.AsArray().RemoveAt(1);
                break;
            case "ClusterFirst":
                spec["dnsPolicy"] = "ClusterFirst";
                break;
            case "no upstream for forward":
                sidecar["env"]!.AsArray().Remove(sidecar["env"]!.AsArray().First(e => (string?)e!["name"] == "SIDECAR_DNS_UPSTREAM"));
                break;
            case "neither capability nor sysctl":
                sidecar["securityContext"]!["capabilities"]!.AsObject().Remove("add");
                spec["securityContext"]!.AsObject().Remove("sysctls");
                break;
            case "startup probe on /healthz":
                sidecar["startupProbe"]!["httpGet"]!["path"] = "/healthz";
                break;
            case "bad mapped-services flag":
                sidecar["args"]![1] = "not_a_name!";
                break;
            case "no memory limit":
                sidecar["resources"]!["limits"]!.AsObject().Remove("memory");
                break;
            case "state directory on the root file system":
                sidecar["env"]!.AsArray().First(e => (string?)e!["name"] == "SIDECAR_STATE_DIR")!["value"] = "/var/lib/sidecar";
                break;
        }

        Assert.Single(SidecarPodCheck.Problems(pod));
    }
}
