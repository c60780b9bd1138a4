using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;

namespace Sidecar.Tests.Discovery.StandIn;

internal sealed partial class StandInKubeApiServer
{
    private async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Path != ResourcePath)
        {
            await WriteStatusAsync(context, 404, "NotFound", "the stand-in serves only frpservers");
            return;
        }
        if (!IsAuthorized(context))
        {
            Interlocked.Increment(ref UnauthorizedCount);
            await WriteStatusAsync(context, 401, "Unauthorized", "Unauthorized");
            return;
        }
        if (context.Request.Query["watch"] == "true")
        {
            await WatchAsync(context);
        }
        else
        {
            await ListAsync(context);
        }
    }

    private bool IsAuthorized(HttpContext context)
    {
        var client = context.Connection.ClientCertificate;
        if (client is not null)
        {
            return client.Thumbprint == Certificates.Client.Thumbprint;
        }
        return context.Request.Headers.Authorization == $"Bearer {Token}";
    }

    private async Task ListAsync(HttpContext context)
    {
        Interlocked.Increment(ref ListCount);
        if (ListDelay > TimeSpan.Zero)
        {
            await Task.Delay(ListDelay, context.RequestAborted);
        }
        if (Interlocked.Decrement(ref FailNextLists) >= 0)
        {
            await WriteStatusAsync(context, 500, "InternalError", "stand-in: injected failure");
            return;
        }
        Interlocked.Exchange(ref FailNextLists, 0);
        string body;
        lock (_gate)
        {
            var items = new JsonArray();
            foreach (var resource in _resources.Values)
            {
                items.Add(resource.DeepClone());
            }
            body = new JsonObject
            {
                ["apiVersion"] = "tunnel.kubeinfra.io/v1alpha1",
                ["kind"] = "FRPServerList",
                ["metadata"] = new JsonObject { ["resourceVersion"] = _resourceVersion.ToString(CultureInfo.InvariantCulture) },
                ["items"] = items,
            }.ToJsonString();
        }
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body, context.RequestAborted);
    }

    private async Task WatchAsync(HttpContext context)
    {
        Interlocked.Increment(ref WatchCount);
        var requested = context.Request.Query["resourceVersion"].ToString();
        LastWatchResourceVersion = requested;
        if (Interlocked.Decrement(ref GoneNextWatches) >= 0)
        {
            await WriteStatusAsync(context, 410, "Expired", "stand-in: resource version expired");
            return;
        }
        Interlocked.Exchange(ref GoneNextWatches, 0);
        var timeout = int.TryParse(context.Request.Query["timeoutSeconds"], CultureInfo.InvariantCulture, out var t) ? t : 300;
        var channel = Channel.CreateUnbounded<string>();
        lock (_gate)
        {
            var from = long.TryParse(requested, CultureInfo.InvariantCulture, out var rv) ? rv : 0;
            if (from < _compactedThrough)
            {
                channel.Writer.TryWrite(ExpiredLine());
            }
            foreach (var (eventRv, line) in _history)
            {
                if (eventRv > from)
                {
                    channel.Writer.TryWrite(line);
                }
            }
            _watchers[channel] = context;
        }
        try
        {
            context.Response.ContentType = "application/json";
            await context.Response.StartAsync(context.RequestAborted);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            cts.CancelAfter(TimeSpan.FromSeconds(timeout));
            await foreach (var line in channel.Reader.ReadAllAsync(cts.Token))
            {
                await context.Response.WriteAsync(line + "\n", cts.Token);
                await context.Response.Body.FlushAsync(cts.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // timeoutSeconds elapsed or the client went away: end the stream, as the API server does.
        }
        finally
        {
            _watchers.TryRemove(channel, out _);
        }
    }

    private static async Task WriteStatusAsync(HttpContext context, int code, string reason, string message)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        var body = new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Failure", ["message"] = message, ["reason"] = reason, ["code"] = code };
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}
