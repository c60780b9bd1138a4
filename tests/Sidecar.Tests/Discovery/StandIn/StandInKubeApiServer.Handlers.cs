using System.Collections.Specialized;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

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
        while (StallHandshakes && !_stopping.IsCancellationRequested)
        {
            await Task.Delay(50);
        }
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

    /// <summary>Authentication first (401 for any path), then authorization (403 beyond frpservers), as the API server does.</summary>
    private async Task HandleAsync(StandInHttpConnection context, Uri target, Dictionary<string, string> headers)
    {
        if (_canned.TryDequeue(out var canned))
        {
            await ServeCannedAsync(context, target, canned);
            return;
        }
        var client = Authenticate(context, headers);
        context.Stats = client;
        if (client is null)
        {
            Interlocked.Increment(ref UnauthorizedCount);
            await context.RespondAsync(401, StandInStatus.Unauthorized(), _stopping.Token);
            return;
        }
        Interlocked.Increment(ref client.Requests);
        var query = System.Web.HttpUtility.ParseQueryString(target.Query);
        var watch = query["watch"] is "true" or "1";
        var path = target.AbsolutePath;
        if (Forbid || (path != ResourcePath && !path.StartsWith(ResourcePath + "/", StringComparison.Ordinal)))
        {
            var (resource, group) = ResourceOf(path);
            await context.RespondAsync(403, StandInStatus.Forbidden(User, watch ? "watch" : path.StartsWith(ResourcePath + "/", StringComparison.Ordinal) ? "get" : "list", resource, group), _stopping.Token);
            return;
        }
        StandInSelector selector;
        try
        {
            selector = StandInSelector.Parse(query["labelSelector"], query["fieldSelector"]);
        }
        catch (FormatException e)
        {
            await context.RespondAsync(400, StandInStatus.Body(400, "BadRequest", e.Message), _stopping.Token);
            return;
        }
        if (path != ResourcePath)
        {
            await GetAsync(context, Uri.UnescapeDataString(path[(ResourcePath.Length + 1)..]));
        }
        else if (watch)
        {
            await WatchAsync(context, query, selector, client);
        }
        else
        {
            await ListAsync(context, query, selector, client);
        }
    }

    private async Task ServeCannedAsync(StandInHttpConnection context, Uri target, (int Status, string? Body, string[]? Lines) canned)
    {
        var query = System.Web.HttpUtility.ParseQueryString(target.Query);
        if (canned.Lines is null)
        {
            Interlocked.Increment(ref ListCount);
            LastListQuery = query.ToString();
            await context.RespondAsync(canned.Status, canned.Body!, _stopping.Token);
            return;
        }
        Interlocked.Increment(ref WatchCount);
        LastWatchQuery = query.ToString();
        LastWatchResourceVersion = query["resourceVersion"];
        await context.StartChunkedAsync(_stopping.Token);
        foreach (var line in canned.Lines)
        {
            await context.WriteChunkAsync(Encoding.UTF8.GetBytes(line + "\n"), _stopping.Token);
        }
        await context.EndChunkedAsync(_stopping.Token);
    }

    private StandInClientStats? Authenticate(StandInHttpConnection context, Dictionary<string, string> headers)
    {
        if (context.ClientCertificate is { } certificate)
        {
            return certificate.Thumbprint == Certificates.Client.Thumbprint ? CertificateClient : null;
        }
        var authorization = headers.GetValueOrDefault("Authorization") ?? "";
        return authorization.StartsWith("Bearer ", StringComparison.Ordinal) && _tokens.TryGetValue(authorization["Bearer ".Length..], out var client)
            ? client : null;
    }

    private static (string Resource, string Group) ResourceOf(string path)
    {
        var parts = path.Trim('/').Split('/');
        return parts switch
        {
            ["api", _, var resource, ..] => (resource, ""),
            ["apis", var group, _, var resource, ..] => (resource, group),
            _ => (path, ""),
        };
    }

    private async Task GetAsync(StandInHttpConnection context, string name)
    {
        byte[]? body;
        lock (_gate)
        {
            body = _resources.TryGetValue(name, out var found) ? found.Encoded : null;
        }
        await (body is null
            ? context.RespondAsync(404, StandInStatus.Body(404, "NotFound", $"frpservers.tunnel.kubeinfra.io \"{name}\" not found"), _stopping.Token)
            : context.RespondAsync(200, body, _stopping.Token));
    }

    private async Task ListAsync(StandInHttpConnection context, NameValueCollection query, StandInSelector selector, StandInClientStats client)
    {
        Interlocked.Increment(ref ListCount);
        Interlocked.Increment(ref client.Lists);
        LastListQuery = query.ToString();
        if (ListDelay > TimeSpan.Zero)
        {
            await Task.Delay(ListDelay, _stopping.Token);
        }
        if (Interlocked.Decrement(ref FailNextLists) >= 0)
        {
            await context.RespondAsync(500, StandInStatus.Body(500, "InternalError", "stand-in: injected failure"), _stopping.Token);
            return;
        }
        Interlocked.Exchange(ref FailNextLists, 0);
        var rv = query["resourceVersion"];
        var match = query["resourceVersionMatch"];
        if (match is not null && string.IsNullOrEmpty(rv))
        {
            await context.RespondAsync(422, StandInStatus.Body(422, "Invalid", "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided"), _stopping.Token);
            return;
        }
        if (string.IsNullOrEmpty(rv))
        {
            Interlocked.Increment(ref QuorumListCount);
        }
        else if (rv == "0" || match == "NotOlderThan")
        {
            Interlocked.Increment(ref client.CacheLists);
        }
        byte[] body;
        lock (_gate)
        {
            if (long.TryParse(rv, CultureInfo.InvariantCulture, out var wanted) && wanted > _resourceVersion)
            {
                body = [];
            }
            else
            {
                body = ListBody(selector);
            }
        }
        await (body.Length == 0
            ? context.RespondAsync(504, StandInStatus.Body(504, "Timeout", $"Too large resource version: {rv}, current: {ResourceVersion}"), _stopping.Token)
            : context.RespondAsync(200, body, _stopping.Token));
    }

    /// <summary>The list in the recordings' shape: apiVersion, items, kind, metadata (continue, resourceVersion).</summary>
    private byte[] ListBody(StandInSelector selector)
    {
        using var body = new MemoryStream();
        body.Write("{\"apiVersion\":\"tunnel.kubeinfra.io/v1alpha1\",\"items\":["u8);
        var first = true;
        foreach (var resource in _resources.Values)
        {
            if (!selector.Matches(resource.Name, resource.Labels))
            {
                continue;
            }
            if (!first)
            {
                body.WriteByte((byte)',');
            }
            first = false;
            body.Write(resource.Encoded);
        }
        body.Write(Encoding.UTF8.GetBytes($"],\"kind\":\"FRPServerList\",\"metadata\":{{\"continue\":\"\",\"resourceVersion\":\"{Rv(_resourceVersion)}\"}}}}"));
        return body.ToArray();
    }

    private async Task WatchAsync(StandInHttpConnection context, NameValueCollection query, StandInSelector selector, StandInClientStats client)
    {
        Interlocked.Increment(ref WatchCount);
        Interlocked.Increment(ref client.Watches);
        LastWatchQuery = query.ToString();
        var requested = query["resourceVersion"] ?? "";
        LastWatchResourceVersion = requested;
        if (Interlocked.Decrement(ref HttpGoneNextWatches) >= 0)
        {
            await context.RespondAsync(410, StandInStatus.Body(410, "Expired", "stand-in: resource version expired"), _stopping.Token);
            return;
        }
        Interlocked.Exchange(ref HttpGoneNextWatches, 0);
        // Without timeoutSeconds the real server picks 30-60 minutes (its --min-request-timeout, randomised).
        var timeout = int.TryParse(query["timeoutSeconds"], CultureInfo.InvariantCulture, out var t) && t > 0 ? t : 1800 + Random.Shared.Next(1800);
        client.WatchTimeouts.Enqueue(timeout);
        var watcher = new StandInWatcher(context, selector, requested, query["allowWatchBookmarks"] == "true", () => ResourceVersion, client);
        Register(watcher, requested);
        try
        {
            await context.StartChunkedAsync(_stopping.Token);
            await StreamAsync(watcher, TimeSpan.FromSeconds(timeout));
            await context.EndChunkedAsync(_stopping.Token);
        }
        finally
        {
            _watchers.TryRemove(watcher, out _);
        }
    }

    /// <summary>Queues what the watch starts with: an ERROR 410 if the version is too old, the initial state for "0", else the missed events.</summary>
    private void Register(StandInWatcher watcher, string requested)
    {
        lock (_gate)
        {
            var gone = Interlocked.Decrement(ref GoneNextWatches) >= 0;
            if (!gone)
            {
                Interlocked.Exchange(ref GoneNextWatches, 0);
            }
            if (requested is "" or "0")
            {
                foreach (var resource in _resources.Values.Where(r => watcher.Selector.Matches(r.Name, r.Labels)))
                {
                    watcher.Offer(Encoding.UTF8.GetBytes($"{{\"type\":\"ADDED\",\"object\":{Encoding.UTF8.GetString(resource.Encoded)}}}\n"));
                }
            }
            else if (gone || !long.TryParse(requested, CultureInfo.InvariantCulture, out var from) || from < _compactedThrough)
            {
                watcher.Offer(Encoding.UTF8.GetBytes(StandInStatus.ExpiredEventLine(requested, _compactedThrough + 1) + "\n"));
                watcher.Complete();
                return;
            }
            else
            {
                foreach (var e in _history.Where(e => e.Rv > from && watcher.Selector.Matches(e.Name, e.Labels)))
                {
                    watcher.Offer(e.Line);
                }
            }
            _watchers[watcher] = true;
        }
    }

    /// <summary>Writes lines as they come, a bookmark every <see cref="BookmarkInterval"/>, and ends the stream at the timeout.</summary>
    private async Task StreamAsync(StandInWatcher watcher, TimeSpan timeout)
    {
        var end = DateTime.UtcNow + timeout;
        var nextBookmark = DateTime.UtcNow + BookmarkInterval;
        while (true)
        {
            var now = DateTime.UtcNow;
            if (now >= end)
            {
                return;
            }
            var wake = watcher.AllowsBookmarks && nextBookmark < end ? nextBookmark : end;
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            wait.CancelAfter(wake - now);
            try
            {
                if (!await watcher.Lines.WaitToReadAsync(wait.Token))
                {
                    return; // ended by the server (410, too slow)
                }
                while (watcher.Lines.TryRead(out var line))
                {
                    await watcher.Connection.WriteChunkAsync(line, _stopping.Token);
                    Interlocked.Increment(ref watcher.Stats!.Events);
                }
            }
            catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
            {
                // The timer can fire a hair before `end`: only a watch that asked for bookmarks gets one.
                if (watcher.AllowsBookmarks && DateTime.UtcNow < end)
                {
                    await watcher.Connection.WriteChunkAsync(StandInWatcher.BookmarkLine(ResourceVersion), _stopping.Token);
                    Interlocked.Increment(ref watcher.Stats!.Bookmarks);
                    nextBookmark = DateTime.UtcNow + BookmarkInterval;
                }
            }
        }
    }
}
