using System.Globalization;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Sidecar.Tests.Discovery.StandIn;

internal sealed partial class StandInKubeApiServer
{
    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        var connection = await StandInHttpConnection.AcceptAsync(client, Certificates.Server, _stopping.Token);
        if (connection is null)
        {
            return;
        }
        _connections[connection] = true;
        try
        {
            while (await connection.ReadRequestAsync(_stopping.Token) is { } request)
            {
                await HandleAsync(connection, new Uri(Address, request.Target), request.Headers);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The client went away or the stand-in stops.
        }
        finally
        {
            _connections.TryRemove(connection, out _);
            await connection.DisposeAsync();
        }
    }

    private async Task HandleAsync(StandInHttpConnection context, Uri target, Dictionary<string, string> headers)
    {
        if (target.AbsolutePath != ResourcePath)
        {
            await WriteStatusAsync(context, 404, "NotFound", "the stand-in serves only frpservers");
            return;
        }
        if (!IsAuthorized(context, headers))
        {
            Interlocked.Increment(ref UnauthorizedCount);
            await WriteStatusAsync(context, 401, "Unauthorized", "Unauthorized");
            return;
        }
        var query = System.Web.HttpUtility.ParseQueryString(target.Query);
        if (query["watch"] == "true")
        {
            await WatchAsync(context, query);
        }
        else
        {
            await ListAsync(context);
        }
    }

    private bool IsAuthorized(StandInHttpConnection context, Dictionary<string, string> headers)
    {
        if (context.ClientCertificate is { } client)
        {
            return client.Thumbprint == Certificates.Client.Thumbprint;
        }
        return headers.GetValueOrDefault("Authorization") == $"Bearer {Token}";
    }

    private async Task ListAsync(StandInHttpConnection context)
    {
        Interlocked.Increment(ref ListCount);
        if (ListDelay > TimeSpan.Zero)
        {
            await Task.Delay(ListDelay, _stopping.Token);
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
        await context.RespondAsync(200, body, _stopping.Token);
    }

    private async Task WatchAsync(StandInHttpConnection context, System.Collections.Specialized.NameValueCollection query)
    {
        Interlocked.Increment(ref WatchCount);
        var requested = query["resourceVersion"] ?? "";
        LastWatchResourceVersion = requested;
        if (Interlocked.Decrement(ref GoneNextWatches) >= 0)
        {
            await WriteStatusAsync(context, 410, "Expired", "stand-in: resource version expired");
            return;
        }
        Interlocked.Exchange(ref GoneNextWatches, 0);
        var timeout = int.TryParse(query["timeoutSeconds"], CultureInfo.InvariantCulture, out var t) ? t : 300;
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
            await context.StartChunkedAsync(_stopping.Token);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            cts.CancelAfter(TimeSpan.FromSeconds(timeout));
            try
            {
                await foreach (var line in channel.Reader.ReadAllAsync(cts.Token))
                {
                    await context.WriteChunkAsync(line + "\n", _stopping.Token);
                }
            }
            catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
            {
                // timeoutSeconds elapsed: end the stream cleanly, as the API server does.
            }
            await context.EndChunkedAsync(_stopping.Token);
        }
        finally
        {
            _watchers.TryRemove(channel, out _);
        }
    }

    private async Task WriteStatusAsync(StandInHttpConnection context, int code, string reason, string message)
    {
        var body = new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Failure", ["message"] = message, ["reason"] = reason, ["code"] = code };
        await context.RespondAsync(code, body.ToJsonString(), _stopping.Token);
    }
}
