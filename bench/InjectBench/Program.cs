using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;

[assembly: SupportedOSPlatform("linux")]

namespace InjectBench;

/// <summary>
/// load URL BODY_FILE RATE SECONDS   POST BODY_FILE to URL at RATE requests/s for SECONDS, open loop (each request
///                                   starts at its scheduled time whether or not earlier ones are answered, as
///                                   the API server's admissions arrive), over HttpClient's keep-alive pool;
///                                   latency from when each request is sent to its whole answer; prints one line
/// review                            print an AdmissionReview of a Pod annotated for injection, as the API
///                                   server sends it (a ReplicaSet's Pod, about 2 KB)
/// freeport                          print a free loopback TCP port
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "load":
                Console.WriteLine(await LoadAsync(new Uri(args[1]), await File.ReadAllBytesAsync(args[2]), Int(args[3]), Int(args[4])));
                return 0;
            case "review":
                Console.Write(Review);
                return 0;
            case "freeport":
                using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
                {
                    socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                    Console.WriteLine(((IPEndPoint)socket.LocalEndPoint!).Port);
                }
                return 0;
            default:
                Console.Error.WriteLine("usage: load URL BODY_FILE RATE SECONDS | review | freeport");
                return 2;
        }
    }

    private static int Int(string s) => int.Parse(s, CultureInfo.InvariantCulture);

    private static async Task<string> LoadAsync(Uri url, byte[] body, int rate, int seconds)
    {
        var connections = 0;
        using var client = new HttpClient(new SocketsHttpHandler
        {
            // The bench's self-signed certificate; the handshake itself is what is measured, not trust.
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90), // Go's http.Transport default, as the API server's
            ConnectCallback = async (context, cancellationToken) =>
            {
                Interlocked.Increment(ref connections);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        })
        { Timeout = TimeSpan.FromSeconds(10) }; // the API server's default webhook timeout

        // Warm-up (JIT on both sides, the first handshake), not counted.
        for (var i = 0; i < 200; i++)
        {
            await SendAsync(client, url, body);
        }

        var total = rate * seconds;
        var latencies = new double[total];
        var errors = 0;
        var pending = new List<Task>(total);
        var period = Stopwatch.Frequency / (double)rate;
        var start = Stopwatch.GetTimestamp();
        var maxLag = 0.0;
        for (var i = 0; i < total; i++)
        {
            // No spinning (it would take a core from the server on a small machine): the timer wakes up to
            // about a millisecond late, a late request goes at once, so the rate holds on average.
            var due = start + (long)(i * period);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }
            maxLag = Math.Max(maxLag, Stopwatch.GetElapsedTime(due).TotalMilliseconds);
            var index = i;
            pending.Add(Task.Run(async () =>
            {
                var sent = Stopwatch.GetTimestamp();
                var ok = await SendAsync(client, url, body);
                latencies[index] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                if (!ok)
                {
                    Interlocked.Increment(ref errors);
                }
            }));
        }
        await Task.WhenAll(pending);
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Array.Sort(latencies);
        return string.Create(CultureInfo.InvariantCulture,
            $"requests={total} errors={errors} rate={total / elapsed:0} connections={connections} p50_ms={Percentile(latencies, 0.50):0.000} p90_ms={Percentile(latencies, 0.90):0.000} p99_ms={Percentile(latencies, 0.99):0.000} max_ms={latencies[^1]:0.000} max_schedule_lag_ms={maxLag:0.0}");
    }

    /// <summary>True for a 200 carrying an allowed AdmissionReview.</summary>
    private static async Task<bool> SendAsync(HttpClient client, Uri url, byte[] body)
    {
        try
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var response = await client.PostAsync(url, content);
            var text = await response.Content.ReadAsStringAsync();
            return response.StatusCode == HttpStatusCode.OK && text.Contains("\"allowed\":true", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static string Review => """
        {"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","request":{"uid":"705ab4f5-6393-11e8-b7cc-42010a800002",
        "kind":{"group":"","version":"v1","kind":"Pod"},"resource":{"group":"","version":"v1","resource":"pods"},
        "requestKind":{"group":"","version":"v1","kind":"Pod"},"requestResource":{"group":"","version":"v1","resource":"pods"},
        "name":"","namespace":"payments","operation":"CREATE",
        "userInfo":{"username":"system:serviceaccount:kube-system:replicaset-controller","uid":"014fbff9-a07c-4f8c-8d5e-3a5ad1c0b6f4",
        "groups":["system:serviceaccounts","system:serviceaccounts:kube-system","system:authenticated"]},
        "object":{"kind":"Pod","apiVersion":"v1","metadata":{"generateName":"app-7d9f8b6c5-","creationTimestamp":null,
        "labels":{"app":"app","pod-template-hash":"7d9f8b6c5"},
        "annotations":{"sidecar.kubeinfra.io/inject":"true","sidecar.kubeinfra.io/mapped-services":"mysql.abc,redis.abc:6380"},
        "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"app-7d9f8b6c5","uid":"6c1b7c2e-1a43-4a8e-9f0b-2c5d7e8f9a01","controller":true,"blockOwnerDeletion":true}]},
        "spec":{"volumes":[{"name":"kube-api-access-x7k2p","projected":{"sources":[{"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}},
        {"configMap":{"name":"kube-root-ca.crt","items":[{"key":"ca.crt","path":"ca.crt"}]}},
        {"downwardAPI":{"items":[{"path":"namespace","fieldRef":{"apiVersion":"v1","fieldPath":"metadata.namespace"}}]}}],"defaultMode":420}}],
        "containers":[{"name":"app","image":"docker.io/library/mysql:8.4","ports":[{"containerPort":8080,"protocol":"TCP"}],
        "env":[{"name":"DB_HOST","value":"mysql.abc"}],"resources":{"requests":{"cpu":"100m","memory":"128Mi"}},
        "volumeMounts":[{"name":"kube-api-access-x7k2p","readOnly":true,"mountPath":"/var/run/secrets/kubernetes.io/serviceaccount"}],
        "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","imagePullPolicy":"IfNotPresent"}],
        "restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","serviceAccountName":"default",
        "serviceAccount":"default","securityContext":{},"schedulerName":"default-scheduler",
        "tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300},
        {"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}],
        "priority":0,"enableServiceLinks":true,"preemptionPolicy":"PreemptLowerPriority"},"status":{}},
        "oldObject":null,"dryRun":false,"options":{"kind":"CreateOptions","apiVersion":"meta.k8s.io/v1"}}}
        """;
}
