using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Sidecar.Dns.Wire;

namespace Sidecar.Dns.Serving;

/// <summary>
/// DNS over TCP (RFC 7766): length-prefixed messages, several queries per connection answered in order,
/// an idle timeout, and a cap on connections. Runs on the thread pool, apart from the UDP threads, so a
/// slow or hostile TCP client never delays UDP service.
/// </summary>
internal sealed partial class TcpDnsServer : IAsyncDisposable
{
    /// <summary>Connections served at once; more are closed at accept (RFC 7766 §6.2.2 lets servers limit them).</summary>
    public const int MaxConnections = 100;
    /// <summary>RFC 7766 §6.2.3: servers close idle connections; seconds, not minutes, under load.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(10);

    private readonly Socket _listener;
    private readonly DnsResponder _responder;
    private readonly UpstreamForwarder? _forwarder;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Socket, Task> _connections = new();
    private Task _acceptLoop = Task.CompletedTask;

    public TcpDnsServer(IPEndPoint address, DnsResponder responder, UpstreamForwarder? forwarder, TimeProvider timeProvider, ILogger logger)
    {
        _responder = responder;
        _forwarder = forwarder;
        _timeProvider = timeProvider;
        _logger = logger;
        _listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            _listener.Bind(address);
            _listener.Listen(128);
        }
        catch
        {
            _listener.Dispose();
            throw;
        }
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    public void Start() => _acceptLoop = AcceptLoopAsync(_stopping.Token);

    private async Task AcceptLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (stopping.IsCancellationRequested && e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // E.g. EMFILE or a connection reset before accept: keep accepting.
                LogAcceptFailed(e.SocketErrorCode);
                continue;
            }
            if (_connections.Count >= MaxConnections)
            {
                LogConnectionLimit(MaxConnections);
                client.Dispose();
                continue;
            }
            _connections[client] = ServeAsync(client, stopping);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken stopping)
    {
        await Task.Yield();
        var request = ArrayPool<byte>.Shared.Rent(DnsLimits.MaxMessageLength);
        var response = ArrayPool<byte>.Shared.Rent(DnsLimits.MaxMessageLength + 2);
        using var idle = new CancellationTokenSource(IdleTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(idle.Token, stopping);
        try
        {
            client.NoDelay = true;
            while (true)
            {
                if (!await TcpFraming.ReadExactlyAsync(client, request.AsMemory(0, 2), linked.Token).ConfigureAwait(false))
                {
                    return;
                }
                var length = BinaryPrimitives.ReadUInt16BigEndian(request);
                if (length == 0 || !await TcpFraming.ReadExactlyAsync(client, request.AsMemory(0, length), linked.Token).ConfigureAwait(false))
                {
                    return;
                }
                var answer = await AnswerAsync(request.AsMemory(0, length), response.AsMemory(2, DnsLimits.MaxMessageLength), linked.Token).ConfigureAwait(false);
                if (answer > 0)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(response, (ushort)answer);
                    await client.SendAsync(response.AsMemory(0, answer + 2), SocketFlags.None, linked.Token).ConfigureAwait(false);
                }
                idle.CancelAfter(IdleTimeout);
            }
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            // Idle timeout or shutdown: closing is the answer.
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            LogConnectionFailed(e.Message);
        }
        finally
        {
            client.Dispose();
            ArrayPool<byte>.Shared.Return(request);
            ArrayPool<byte>.Shared.Return(response);
            _connections.TryRemove(client, out _);
        }
    }

    private async ValueTask<int> AnswerAsync(ReadOnlyMemory<byte> request, Memory<byte> response, CancellationToken cancellationToken)
    {
        var result = _responder.Respond(request.Span, response.Span, overTcp: true);
        if (result.Outcome != DnsOutcome.Forward || _forwarder is null)
        {
            return result.Outcome == DnsOutcome.Reply ? result.Length : 0;
        }
        var length = await _forwarder.ForwardAsync(request, response, overTcp: true, cancellationToken).ConfigureAwait(false);
        return length > 0 ? length : _responder.RespondWithCode(request.Span, response.Span, overTcp: true, DnsResponseCode.ServerFailure).Length;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        await Task.WhenAll(_connections.Values).ConfigureAwait(false);
        _stopping.Dispose();
    }
}
