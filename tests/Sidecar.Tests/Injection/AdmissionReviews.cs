using System.Text;
using System.Text.Json.Nodes;

namespace Sidecar.Tests.Injection;

/// <summary>AdmissionReview requests shaped as the API server sends them (admission.k8s.io/v1, as in the
/// Kubernetes "Dynamic Admission Control" reference): userInfo, options, dryRun, no oldObject on CREATE.</summary>
internal static class AdmissionReviews
{
    public const string Uid = "705ab4f5-6393-11e8-b7cc-42010a800002";

    public static string PodCreate(string podJson, string ns = "payments", bool dryRun = false) => $$"""
        {
          "apiVersion": "admission.k8s.io/v1",
          "kind": "AdmissionReview",
          "request": {
            "uid": "{{Uid}}",
            "kind": {"group": "", "version": "v1", "kind": "Pod"},
            "resource": {"group": "", "version": "v1", "resource": "pods"},
            "requestKind": {"group": "", "version": "v1", "kind": "Pod"},
            "requestResource": {"group": "", "version": "v1", "resource": "pods"},
            "name": "",
            "namespace": "{{ns}}",
            "operation": "CREATE",
            "userInfo": {
              "username": "system:serviceaccount:kube-system:replicaset-controller",
              "uid": "014fbff9-a07c-4f8c-8d5e-3a5ad1c0b6f4",
              "groups": ["system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"]
            },
            "object": {{podJson}},
            "oldObject": null,
            "dryRun": {{(dryRun ? "true" : "false")}},
            "options": {"kind": "CreateOptions", "apiVersion": "meta.k8s.io/v1"}
          }
        }
        """;

    /// <summary>A Pod as a ReplicaSet controller submits it: generateName, no namespace in metadata yet.</summary>
    public static string Pod(string annotations, string specExtra = "") => $$"""
        {
          "kind": "Pod",
          "apiVersion": "v1",
          "metadata": {
            "generateName": "app-7d9f8b6c5-",
            "creationTimestamp": null,
            "labels": {"app": "app", "pod-template-hash": "7d9f8b6c5"},
            "annotations": {{annotations}}
          },
          "spec": {
            {{specExtra}}
            "containers": [
              {"name": "app", "image": "docker.io/library/mysql:8.4", "resources": {}, "terminationMessagePath": "/dev/termination-log", "imagePullPolicy": "IfNotPresent"}
            ],
            "restartPolicy": "Always",
            "terminationGracePeriodSeconds": 30,
            "dnsPolicy": "ClusterFirst",
            "serviceAccountName": "default",
            "securityContext": {},
            "schedulerName": "default-scheduler"
          },
          "status": {}
        }
        """;

    public static JsonObject Response(byte[] body) => (JsonObject)JsonNode.Parse(body)!["response"]!;

    /// <summary>The Pod after the API server would apply the response's patch.</summary>
    public static JsonNode Patched(string podJson, JsonObject response)
    {
        var pod = JsonNode.Parse(podJson)!;
        if (response["patch"] is null)
        {
            return pod;
        }
        Assert.Equal("JSONPatch", (string?)response["patchType"]);
        var patch = (JsonArray)JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String((string)response["patch"]!)))!;
        return JsonPatchApplier.Apply(pod, patch);
    }
}
