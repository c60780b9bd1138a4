using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Sidecar.Injection;

/// <summary>
/// One AdmissionReview in, one out: decides whether the Pod gets the sidecar and answers with the patch, an
/// unchanged admission or a denial. Pure: no I/O, so the HTTPS layer and the tests share it.
/// </summary>
internal sealed class AdmissionHandler(InjectorOptions options)
{
    /// <summary>A Pod is at most a few hundred KiB; etcd refuses objects over 1.5 MiB anyway.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    private const string ApiVersion = "admission.k8s.io/v1";

    public AdmissionResult Handle(ReadOnlySpan<byte> body, bool injectByDefault)
    {
        if (body.Length > MaxBodyBytes)
        {
            return Malformed($"body of {body.Length} bytes is over the {MaxBodyBytes} byte limit");
        }
        AdmissionReview? review;
        try
        {
            review = JsonSerializer.Deserialize(body, InjectionJsonContext.Default.AdmissionReview);
        }
        catch (JsonException e)
        {
            return Malformed($"not an AdmissionReview: {e.Message}");
        }
        if (review is null || review.ApiVersion != ApiVersion || review.Kind != "AdmissionReview")
        {
            return Malformed($"expected apiVersion {ApiVersion} and kind AdmissionReview");
        }
        if (review.Request is not { Uid: { Length: > 0 } uid } request)
        {
            return Malformed("request.uid is missing");
        }

        // Only Pod creation is ours; anything else the configuration lets through is admitted as it is.
        var pod = request.Object;
        if (request.Kind?.Kind != "Pod" || request.Operation != "CREATE" || pod is null
            || InjectionSelection.IsInjected(pod.Spec)
            || !InjectionSelection.IsSelected(pod.Metadata?.Annotations, injectByDefault))
        {
            return Respond(uid, AdmissionVerdict.Skipped, patch: null, denial: null, warning: null);
        }
        if (!AnnotationSettings.TryRead(pod.Metadata?.Annotations, out var environment, out var error)
            || (error = PodCompatibility.Problem(pod.Spec, options)) is not null)
        {
            return options.AllowOnError
                ? Respond(uid, AdmissionVerdict.AllowedOnError, patch: null, denial: null, warning: "sidecar not injected: " + error)
                : Respond(uid, AdmissionVerdict.Denied, patch: null, denial: error, warning: null);
        }
        // A Pod created through a controller has no metadata.namespace yet; the request carries it.
        var podNamespace = request.Namespace is { Length: > 0 } ns ? ns : pod.Metadata?.Namespace is { Length: > 0 } own ? own : "default";
        var patch = PodPatchBuilder.Build(pod, podNamespace, options, environment);
        return Respond(uid, AdmissionVerdict.Injected, patch, denial: null, warning: null);
    }

    private static AdmissionResult Malformed(string reason) =>
        new(400, Encoding.UTF8.GetBytes(reason + "\n"), AdmissionVerdict.Malformed, reason);

    private static AdmissionResult Respond(string uid, AdmissionVerdict verdict, byte[]? patch, string? denial, string? warning)
    {
        var buffer = new ArrayBufferWriter<byte>(patch is null ? 256 : patch.Length * 4 / 3 + 256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("apiVersion", ApiVersion);
            json.WriteString("kind", "AdmissionReview");
            json.WriteStartObject("response");
            json.WriteString("uid", uid);
            json.WriteBoolean("allowed", denial is null);
            if (patch is not null)
            {
                json.WriteString("patchType", "JSONPatch");
                json.WriteBase64String("patch", patch);
            }
            if (denial is not null)
            {
                json.WriteStartObject("status");
                json.WriteNumber("code", 403);
                json.WriteString("message", denial);
                json.WriteEndObject();
            }
            if (warning is not null)
            {
                json.WriteStartArray("warnings");
                json.WriteStringValue(warning);
                json.WriteEndArray();
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return new(200, buffer.WrittenSpan.ToArray(), verdict, denial ?? warning);
    }
}
